# Indexes no query at neighbourhood scale needs (small tables scanned, or served by another
# index): docs/operations/benchmarks.md, "Schema footprint"; the models say why for each.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0003_schema_ids'),
        ('people', '0008_unqueried_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='organisation',
            name='sub_area',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, to='people.subarea', verbose_name='sub-area'),
        ),
        # The join table's reverse key (a participant's organisations: tens of members, scanned); the migration state does not hold it.
        migrations.RunSQL(
            "DROP INDEX IF EXISTS organisations_organisation_members_participant_id_0149fec4",
            "CREATE INDEX organisations_organisation_members_participant_id_0149fec4 ON organisations_organisation_members (participant_id)",
        ),
    ]
