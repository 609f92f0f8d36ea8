# Indexes no query at neighbourhood scale needs (small tables scanned, or served by another
# index): docs/operations/benchmarks.md, "Schema footprint"; the models say why for each.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('brokerage', '0004_schema_ids'),
    ]

    operations = [
        migrations.AlterField(
            model_name='trajectory',
            name='moved_at',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='trajectory',
            name='step',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='trajectories', to='brokerage.routingstep'),
        ),
        migrations.AlterField(
            model_name='trajectorymove',
            name='at',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='trajectorymove',
            name='from_step',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='brokerage.routingstep'),
        ),
        migrations.AlterField(
            model_name='trajectorymove',
            name='to_step',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='brokerage.routingstep'),
        ),
    ]
