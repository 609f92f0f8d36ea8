# The join table's unique (left, right) index leads with the left key: its own index is
# not needed.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ('outreach', '0001_initial'),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS outreach_digestpreference__digestpreference_id_f8e97913",
            "CREATE INDEX outreach_digestpreference__digestpreference_id_f8e97913 ON outreach_digestpreference_categories (digestpreference_id)",
        ),
        migrations.RunSQL(
            "DROP INDEX IF EXISTS outreach_digestpreference__digestpreference_id_dd326ed8",
            "CREATE INDEX outreach_digestpreference__digestpreference_id_dd326ed8 ON outreach_digestpreference_sub_areas (digestpreference_id)",
        ),
    ]
