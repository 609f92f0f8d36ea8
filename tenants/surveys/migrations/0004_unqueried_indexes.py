# Indexes no query at neighbourhood scale needs (small tables scanned, or served by another
# index): docs/operations/benchmarks.md, "Schema footprint"; the models say why for each.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0003_schema_ids'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='surveyinvitation',
            name='invitation_open',
        ),
        migrations.AlterField(
            model_name='surveyanswer',
            name='answered_on',
            field=models.DateField(verbose_name='answered on'),
        ),
    ]
