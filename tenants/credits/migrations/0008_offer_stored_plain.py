# An offer's columns are all bounded now (its description was kept to 1,000 characters by the
# form, the API and the service, not by the table): its widest row, about 4.5 kB, fits a page,
# so it is stored in the row and the table loses its TOAST table, a relation and a page in every
# schema (tijdvoorelkaar/plain_rows.py; docs/adr/0013; issue 13, target 4). The price (numeric,
# stored MAIN by its type) is stored PLAIN too: PostgreSQL counts it as movable.

import tijdvoorelkaar.plain_rows
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0007_one_index_per_participant_account'),
    ]

    operations = [
        migrations.AlterField(
            model_name='offer',
            name='description',
            field=models.CharField(blank=True, max_length=1000, verbose_name='description'),
        ),
        # Backwards only, after store_plain's: the price is stored as numeric is (MAIN), not
        # EXTENDED as the text columns.
        migrations.RunSQL(
            migrations.RunSQL.noop,
            'ALTER TABLE "credits_offer" ALTER COLUMN "price" SET STORAGE MAIN',
        ),
        tijdvoorelkaar.plain_rows.store_plain(
            'credits_offer', ['title', 'description', 'price']
        ),
    ]
