# A survey answer's remark (2,000 characters) was `text` that the form, the API and the service
# already kept to that length: as a bounded column the table's widest row (4 bytes a character)
# fits a page, with a small margin proven by tests/tijdvoorelkaar/neighbourhoods/
# test_plain_rows.py, so it is stored in the row and loses its TOAST table
# (tijdvoorelkaar/plain_rows.py, docs/adr/0013; issue 13, target 4).

import tijdvoorelkaar.plain_rows
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0004_unqueried_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='surveyanswer',
            name='remark',
            field=models.CharField(blank=True, max_length=2000, verbose_name='anything to add'),
        ),
        # after the AlterField: a column's new type resets its storage
        tijdvoorelkaar.plain_rows.store_plain(
            'surveys_surveyanswer', ['occasion', 'channel', 'remark']
        ),
    ]
