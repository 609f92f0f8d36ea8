# A group visit's note (1,000 characters) was `text` that the form, the API and the service
# already kept to that length: as a bounded column the table's widest row (4 bytes a character)
# fits a page, so it is stored in the row and loses its TOAST table
# (tijdvoorelkaar/plain_rows.py, docs/adr/0013; issue 13, target 4).

import tijdvoorelkaar.plain_rows
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0006_plain_rows'),
    ]

    operations = [
        migrations.AlterField(
            model_name='groupvisit',
            name='note',
            field=models.CharField(blank=True, max_length=1000, verbose_name='note'),
        ),
        # after the AlterField: a column's new type resets its storage
        tijdvoorelkaar.plain_rows.store_plain('referrals_groupvisit', ['group_name', 'note']),
    ]
