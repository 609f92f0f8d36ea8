# Indexes no query at neighbourhood scale needs (small tables scanned, or served by another
# index): docs/operations/benchmarks.md, "Schema footprint"; the models say why for each.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('market', '0006_unqueried_indexes'),
        ('mediations', '0003_schema_ids'),
        ('organisations', '0004_unqueried_indexes'),
        ('people', '0008_unqueried_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='feedback',
            name='participant',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.participant'),
        ),
        migrations.AlterField(
            model_name='followup',
            name='due_on',
            field=models.DateField(verbose_name='due on'),
        ),
        migrations.AlterField(
            model_name='mediation',
            name='organisation',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='mediations', to='organisations.organisation', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='placement',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='placements', to='organisations.organisation'),
        ),
        migrations.AlterField(
            model_name='placement',
            name='participant',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='placements', to='people.participant'),
        ),
        migrations.AlterField(
            model_name='placement',
            name='vacancy',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='placements', to='market.ad'),
        ),
    ]
