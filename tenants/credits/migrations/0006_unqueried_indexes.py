# Indexes no query at neighbourhood scale needs (small tables scanned, or served by another
# index): docs/operations/benchmarks.md, "Schema footprint"; the models say why for each.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0005_schema_ids'),
        ('organisations', '0004_unqueried_indexes'),
        ('people', '0008_unqueried_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='offer',
            name='provider',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='credit_offers', to='organisations.organisation', verbose_name='provider'),
        ),
        migrations.AlterField(
            model_name='redemption',
            name='offer',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='redemptions', to='credits.offer', verbose_name='offer'),
        ),
        migrations.AlterField(
            model_name='redemption',
            name='participant',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='credit_redemptions', to='people.participant', verbose_name='participant'),
        ),
        migrations.AlterField(
            model_name='transfer',
            name='on_behalf_of',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='credit_transfers_made_for', to='people.participant', verbose_name='on behalf of'),
        ),
    ]
