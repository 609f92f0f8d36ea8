# Indexes no query at neighbourhood scale needs (small tables scanned, or served by another
# index): docs/operations/benchmarks.md, "Schema footprint"; the models say why for each.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mediations', '0004_unqueried_indexes'),
        ('people', '0008_unqueried_indexes'),
        ('stories', '0003_schema_ids'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='story',
            name='story_newest_published',
        ),
        migrations.AlterField(
            model_name='story',
            name='mediation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='stories', to='mediations.mediation', verbose_name='match'),
        ),
        migrations.AlterField(
            model_name='storyconsent',
            name='participant',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.participant'),
        ),
        migrations.AlterField(
            model_name='storyconsent',
            name='story',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='consents', to='stories.story'),
        ),
    ]
