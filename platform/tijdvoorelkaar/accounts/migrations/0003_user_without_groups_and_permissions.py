"""Roles decide access (accounts/access.py); nothing asks for permissions or groups, and no
model has a generic relation. So the user has no groups or permissions, and contenttypes and
auth are no tenant apps any more: their tables leave the neighbourhood schemas (`public` keeps
them, where both apps are still installed)."""

from django.db import migrations

from ._leaving import drop_from_neighbourhoods


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_axes_tables_leave_neighbourhoods")]

    operations = [
        migrations.RemoveField(model_name="user", name="groups"),
        migrations.RemoveField(model_name="user", name="user_permissions"),
        migrations.RunPython(
            drop_from_neighbourhoods(
                "auth_group_permissions",
                "auth_permission",
                "auth_group",
                "django_content_type",
            ),
            migrations.RunPython.noop,
            elidable=True,
        ),
    ]
