# Indexes no query at neighbourhood scale needs (small tables scanned, or served by another
# index): docs/operations/benchmarks.md, "Schema footprint"; the models say why for each.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('outreach', '0004_schema_ids'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='digestpreference',
            name='digest_frequency',
        ),
    ]
