"""axes counts failed logins in the cache now (settings: AXES_HANDLER) and is no tenant app any
more: its four tables leave the neighbourhood schemas that have them."""

from django.db import migrations

from ._leaving import drop_from_neighbourhoods


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [
        migrations.RunPython(
            drop_from_neighbourhoods(
                "axes_accessattemptexpiration",
                "axes_accessattempt",
                "axes_accessfailurelog",
                "axes_accesslog",
            ),
            migrations.RunPython.noop,
            elidable=True,
        )
    ]
