# A response's message (2,000 characters) and a report's explanation (1,000) were `text` that
# every form, API and service already kept to those lengths: as bounded columns the widest row
# of each table fits a page (4 bytes a character; proven by
# tests/tijdvoorelkaar/neighbourhoods/test_plain_rows.py), so they are stored in the row and
# lose their TOAST tables (tijdvoorelkaar/plain_rows.py, docs/adr/0013; issue 13, target 4).
# No stored value is longer: the services refuse longer ones.

import tijdvoorelkaar.plain_rows
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('market', '0008_search_over_live_ads'),
    ]

    operations = [
        migrations.AlterField(
            model_name='report',
            name='explanation',
            field=models.CharField(blank=True, max_length=1000, verbose_name='explanation'),
        ),
        migrations.AlterField(
            model_name='response',
            name='message',
            field=models.CharField(max_length=2000, verbose_name='message'),
        ),
        # after the AlterFields: a column's new type resets its storage
        tijdvoorelkaar.plain_rows.store_plain(
            'market_report', ['reason', 'explanation', 'outcome']
        ),
        tijdvoorelkaar.plain_rows.store_plain('market_response', ['message']),
    ]
