# Django adds a varchar_pattern_ops ("_like") index beside every unique or indexed CharField,
# for LIKE 'x%'; no query here filters so on these columns (only audit actions do).
# The join table's unique (left, right) index leads with the left key: its own index is
# not needed.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ('organisations', '0001_initial'),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS organisations_organisation_name_260d90a1_like",
            "CREATE INDEX organisations_organisation_name_260d90a1_like ON organisations_organisation (name varchar_pattern_ops)",
        ),
        migrations.RunSQL(
            "DROP INDEX IF EXISTS organisations_organisation_members_organisation_id_659f1ebd",
            "CREATE INDEX organisations_organisation_members_organisation_id_659f1ebd ON organisations_organisation_members (organisation_id)",
        ),
    ]
