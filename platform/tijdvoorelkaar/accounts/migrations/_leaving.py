"""For migrations that take a third-party app's tables out of neighbourhood schemas, once the
app is no tenant app any more (settings: TENANT_APPS). A module of its own (the migration
loader skips names starting with `_`), so that the migrations share one careful version.

`public` keeps the tables: the app is still installed there. A schema without them (every
new one: their migrations no longer run there) is left as it is. Going back does not recreate
them: no tenant app owns them any more."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django_tenants.utils import get_public_schema_name


def drop_from_neighbourhoods(*tables: str) -> Callable[[Any, Any], None]:
    """A RunPython function dropping `tables` (dependants first) from a neighbourhood's schema."""

    def drop(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.schema_name == get_public_schema_name():
            return
        schema = connection.ops.quote_name(connection.schema_name)
        for table in tables:  # qualified: the search path also reaches `public`'s table
            schema_editor.execute(
                f"DROP TABLE IF EXISTS {schema}.{connection.ops.quote_name(table)}"
            )

    return drop
