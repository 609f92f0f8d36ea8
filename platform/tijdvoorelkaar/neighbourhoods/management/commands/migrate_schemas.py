"""django-tenants' migrate_schemas, made linear in the number of neighbourhoods, plus the
blueprint: every full migrate refreshes it, so new neighbourhoods never start from a stale copy
(django-tenants issue #1154).

A full run migrates `public`, brings the blueprint up to date, then migrates only the
neighbourhood schemas whose applied migrations differ from the blueprint's (one query over all
schemas finds them), in parallel processes by default. See neighbourhoods/migrating.py.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.migration_executors import get_executor

from tijdvoorelkaar.neighbourhoods.blueprint import current_blueprint
from tijdvoorelkaar.neighbourhoods.migrating import lean_per_schema_work, schemas_behind
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.spares import refill_pool


class Command(MigrateSchemasCommand):
    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--skip-blueprint",
            action="store_true",
            dest="skip_blueprint",
            help="Do not refresh the provisioning blueprint afterwards.",
        )
        parser.add_argument(
            "--every-schema",
            action="store_true",
            dest="every_schema",
            help="Migrate every neighbourhood schema, also those already like the blueprint.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        skip_blueprint = options.pop("skip_blueprint", False)
        every_schema = options.pop("every_schema", False)
        full_run = not (
            options.get("schema_name")
            or options.get("app_label")
            or options.get("migration_name")
            or options.get("plan")
            or options.get("check_unapplied")
        )
        with lean_per_schema_work():
            if not full_run:
                if not options.get("schema_name"):  # all neighbourhoods: in parallel too
                    options["executor"] = (
                        options.get("executor") or settings.TENANT_MIGRATION_EXECUTOR
                    )
                super().handle(*args, **options)
                return
            if not options.get("tenant"):
                super().handle(*args, **{**options, "shared": True, "tenant": False})
            if options.get("shared") and not options.get("tenant"):
                return
            # The blueprint first: it is migrated from scratch, so its applied migrations are
            # the target every neighbourhood schema is compared with.
            blueprint = current_blueprint() if not skip_blueprint else None
            self._migrate_neighbourhoods(args, options, every_schema=every_schema)
        if blueprint is not None:
            made = refill_pool()  # also drops spares made from an older blueprint
            if options.get("verbosity", 1):
                self.stdout.write(
                    f"Blueprint up to date ({blueprint.migration_state[:12]}); "
                    f"{made} spare schema(s) made."
                )

    def _migrate_neighbourhoods(
        self, args: tuple[Any, ...], options: dict[str, Any], *, every_schema: bool
    ) -> None:
        schemas = list(
            Neighbourhood.objects.exclude(schema_name="public")
            .order_by("schema_name")
            .values_list("schema_name", flat=True)
        )
        behind = schemas if every_schema else schemas_behind(schemas)
        # Forking workers costs more than migrating one schema in this process.
        codename = options.get("executor") or (
            settings.TENANT_MIGRATION_EXECUTOR if len(behind) > 1 else "standard"
        )
        if options.get("verbosity", 1):
            self.stdout.write(
                f"{len(schemas)} neighbourhood schema(s): {len(schemas) - len(behind)} up to "
                f"date, {len(behind)} to migrate ({codename})."
            )
        if behind:
            executor = get_executor(codename=codename)(args, options)
            executor.run_migrations(tenants=behind)
