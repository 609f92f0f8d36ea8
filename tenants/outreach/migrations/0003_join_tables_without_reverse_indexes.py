# The digest's join tables are read from the preference's side only (prefetched by preference,
# matched in Python: digest.py), which the unique (preference, other) index serves; no page or
# job looks preferences up by category or sub-area. Deleting a sub-area scans a small table.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0002_fewer_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS outreach_digestpreference_categories_category_id_94f1df09",
            "CREATE INDEX outreach_digestpreference_categories_category_id_94f1df09"
            " ON outreach_digestpreference_categories (category_id)",
        ),
        migrations.RunSQL(
            "DROP INDEX IF EXISTS outreach_digestpreference_sub_areas_subarea_id_49241b98",
            "CREATE INDEX outreach_digestpreference_sub_areas_subarea_id_49241b98"
            " ON outreach_digestpreference_sub_areas (subarea_id)",
        ),
    ]
