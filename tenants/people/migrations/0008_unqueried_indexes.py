# Indexes no query at neighbourhood scale needs (small tables scanned, or served by another
# index): docs/operations/benchmarks.md, "Schema footprint"; the models say why for each.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0007_schema_ids'),
    ]

    operations = [
        migrations.AlterField(
            model_name='conductcertificate',
            name='participant',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='conduct_certificates', to='people.participant'),
        ),
        migrations.AlterField(
            model_name='heldmessage',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True),
        ),
        migrations.AlterField(
            model_name='heldmessage',
            name='participant',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='held_messages', to='people.participant'),
        ),
        migrations.AlterField(
            model_name='note',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True),
        ),
        migrations.AlterField(
            model_name='participant',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True),
        ),
        migrations.AlterField(
            model_name='participant',
            name='sub_area',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='participants', to='people.subarea', verbose_name='sub-area'),
        ),
    ]
