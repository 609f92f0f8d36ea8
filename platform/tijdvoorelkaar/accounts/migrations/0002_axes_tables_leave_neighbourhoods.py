"""axes counts failed logins in the cache now (settings: AXES_HANDLER) and is no tenant app any
more: drop its four tables from neighbourhood schemas that have them. `public` keeps them (axes
is still a shared app, for its middleware and checks). New schemas never get them, so this does
nothing there; going back does not recreate them either (no tenant app owns them)."""

from django.db import migrations
from django_tenants.utils import get_public_schema_name

AXES_TABLES = [  # dependants first
    "axes_accessattemptexpiration",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accesslog",
]


def drop_axes_tables(apps, schema_editor):
    connection = schema_editor.connection
    if connection.schema_name == get_public_schema_name():
        return
    quote = connection.ops.quote_name
    for table in AXES_TABLES:  # qualified: the search path also reaches `public`'s
        schema_editor.execute(
            f"DROP TABLE IF EXISTS {quote(connection.schema_name)}.{quote(table)}"
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(drop_axes_tables, migrations.RunPython.noop, elidable=True)]
