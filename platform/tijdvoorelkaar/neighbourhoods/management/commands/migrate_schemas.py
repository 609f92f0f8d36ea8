"""django-tenants' migrate_schemas, plus the blueprint: every full migrate refreshes it, so
new neighbourhoods never start from a stale copy (django-tenants issue #1154)."""

from __future__ import annotations

from typing import Any

from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

from tijdvoorelkaar.neighbourhoods.blueprint import current_blueprint
from tijdvoorelkaar.neighbourhoods.spares import refill_spares


class Command(MigrateSchemasCommand):
    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--skip-blueprint",
            action="store_true",
            dest="skip_blueprint",
            help="Do not refresh the provisioning blueprint afterwards.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        skip_blueprint = options.pop("skip_blueprint", False)
        super().handle(*args, **options)
        full_run = not (
            options.get("schema_name")
            or options.get("migration_name")
            or options.get("plan")
            or options.get("check_unapplied")
        )
        if full_run and not skip_blueprint:
            blueprint = current_blueprint()
            made = refill_spares()  # also drops spares made from an older blueprint
            if options.get("verbosity", 1):
                self.stdout.write(
                    f"Blueprint up to date ({blueprint.migration_state[:12]}); "
                    f"{made} spare schema(s) made."
                )
