"""Backing up one neighbourhood and restoring it into a running deployment.

A backup is a folder `BACKUP_DIR/<slug>/<stamp>/` holding
- `schema.dump`: `pg_dump --format custom` of the neighbourhood's schema (all its data);
- `registry.json`: its rows in `public` (the Neighbourhood row's settings, its domains) and the
  migration state (the blueprint's fingerprint) of the code that wrote it;
- `media.tar.gz`: its uploaded photos (`MEDIA_ROOT/<schema>/`), when it has any.

A restore never touches another neighbourhood: the dump is replayed into a staging schema of
its own (its SQL with the schema's name changed outside the data), migrated forward when it
is older than the code, and only then renamed into place in one short transaction, with the
registry rows. Docs: docs/operations.md#backups-and-the-restore-drill.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from tijdvoorelkaar.neighbourhoods.blueprint import (
    _disk_migrations,
    migration_state,
    pg_connection_args,
    pg_tool,
)
from tijdvoorelkaar.neighbourhoods.models import Domain, Neighbourhood
from tijdvoorelkaar.neighbourhoods.naming import schema_name_for, validate_slug
from tijdvoorelkaar.neighbourhoods.selectors import forget_hosts
from tijdvoorelkaar.neighbourhoods.services import SETTINGS_FIELDS

# What a backup keeps of the registry row: every setting an admin or operator can change, and
# whether it is open.
REGISTRY_FIELDS = (*SETTINGS_FIELDS, "status")
STAMP = "%Y%m%d-%H%M%S-%f"
DELETION_DUMP = re.compile(r"(?P<slug>[a-z][a-z0-9-]*)-\d{8}-\d{6}-\d{6}\.dump")


class BackupError(Exception):
    """A backup could not be written, or a restore could not be done; nothing changed."""


@dataclass(frozen=True)
class Backup:
    folder: Path
    dump: Path
    media: Path
    registry: dict[str, Any]


def read_backup(path: Path) -> Backup:
    """A backup folder, or the bare dump a deletion writes (`<slug>-<stamp>.dump`: schema
    only; restored archived, with default settings and no domains unless given)."""
    if (path / "registry.json").is_file():
        registry = json.loads((path / "registry.json").read_text())
        return Backup(path, path / "schema.dump", path / "media.tar.gz", registry)
    match = DELETION_DUMP.fullmatch(path.name)
    if match is None or not path.is_file():
        raise BackupError(f"{path} is neither a backup folder nor a deletion's dump")
    return Backup(path.parent, path, path.with_suffix(".none"), _registry_of(path, match["slug"]))


def _registry_of(dump: Path, slug: str) -> dict[str, Any]:
    listing = _pg("pg_restore", "--list", str(dump), with_db=False)
    schema = re.search(r"^\d+; \d+ \d+ SCHEMA - (\S+) ", listing, re.MULTILINE)
    if schema is None:
        raise BackupError(f"{dump} holds no schema")
    return {
        "slug": slug,
        "schema_name": schema[1],
        "migration_state": "",  # unknown: migrated forward after the restore (a no-op if current)
        "fields": {"name": slug, "status": Neighbourhood.Status.ARCHIVED},
        "domains": [],
    }


def backup_neighbourhood(*, neighbourhood: Neighbourhood) -> Backup:
    """Write a backup of `neighbourhood` (schema, registry rows, photos); returns it."""
    stamp = datetime.now(tz=timezone.get_current_timezone()).strftime(STAMP)
    folder = settings.BACKUP_DIR / neighbourhood.slug / stamp
    folder.mkdir(parents=True)
    dump = folder / "schema.dump"
    try:
        _pg("pg_dump", "--schema", neighbourhood.schema_name, "--format", "custom",
            "--file", str(dump))  # fmt: skip
        (folder / "registry.json").write_text(json.dumps(_registry_rows(neighbourhood), indent=1))
        photos = settings.MEDIA_ROOT / neighbourhood.schema_name
        if photos.is_dir():
            with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
                archive.add(photos, arcname=".")
    except (subprocess.CalledProcessError, OSError, RuntimeError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise BackupError(
            f"backup of {neighbourhood.slug} failed: {type(error).__name__}"
        ) from error
    return read_backup(folder)


def _registry_rows(neighbourhood: Neighbourhood) -> dict[str, Any]:
    fields = {name: getattr(neighbourhood, name) for name in REGISTRY_FIELDS}
    if fields["credit_max_balance"] is not None:
        fields["credit_max_balance"] = str(fields["credit_max_balance"])
    return {
        "slug": neighbourhood.slug,
        "schema_name": neighbourhood.schema_name,
        "migration_state": migration_state(),
        "fields": fields,
        "domains": [
            {"domain": d.domain, "is_primary": d.is_primary} for d in neighbourhood.domains.all()
        ],
    }


def latest_backup(slug: str) -> Backup | None:
    """The newest backup of the neighbourhood `slug`, if any."""
    folders = sorted((settings.BACKUP_DIR / slug).glob("*/registry.json"))
    return read_backup(folders[-1].parent) if folders else None


def prune_backups(*, keep_days: int) -> int:
    """Delete backups older than `keep_days` days, keeping each neighbourhood's newest one
    (also of a neighbourhood since deleted). Returns how many were deleted."""
    cutoff = datetime.now(tz=timezone.get_current_timezone()) - timedelta(days=keep_days)
    deleted = 0
    for neighbourhood_folder in settings.BACKUP_DIR.glob("*/"):
        stamps = sorted(p.parent for p in neighbourhood_folder.glob("*/registry.json"))
        for folder in stamps[:-1]:
            written = datetime.strptime(folder.name, STAMP).replace(tzinfo=cutoff.tzinfo)
            if written < cutoff:
                shutil.rmtree(folder)
                deleted += 1
    return deleted


def restore_neighbourhood(
    *, backup: Backup, slug: str | None = None, domains: list[str] | None = None
) -> Neighbourhood:
    """Bring a neighbourhood back from `backup`: under its own slug (it must not exist:
    deleted, or dropped after damage), or under `slug` to inspect a copy beside the live one
    (archived, on `domains` only). Migrates it forward when the backup is older than the
    code; refuses a backup newer than the code. Returns the restored neighbourhood."""
    registry = backup.registry
    target_slug = slug or registry["slug"]
    validate_slug(target_slug)
    target = schema_name_for(target_slug)
    inspecting = target_slug != registry["slug"]
    if Neighbourhood.objects.filter(slug=target_slug).exists() or schema_exists(target):
        raise ValidationError(
            {
                "slug": [
                    _("A neighbourhood %(slug)s exists: restore under another name.")
                    % {"slug": target_slug}
                ]
            }  # fmt: skip
        )
    hostnames = domains if domains is not None else (
        [] if inspecting else [d["domain"] for d in registry["domains"]]
    )  # fmt: skip
    if Domain.objects.filter(domain__in=hostnames).exists():
        raise ValidationError({"domains": [_("One of these domains is in use.")]})
    staging = f"tve_restore_{secrets.token_hex(6)}"
    try:
        _replay_into(backup.dump, registry["schema_name"], staging)
        _check_migrations(staging)
        neighbourhood = _publish(registry, staging, target, target_slug, hostnames, inspecting)
    except BaseException:
        _drop_schema(staging)
        raise
    if registry["migration_state"] != migration_state():  # older (newer was refused above)
        call_command("migrate_schemas", schema_name=target, interactive=False, verbosity=0)
    _restore_media(backup, target)
    forget_hosts(hostnames)
    return neighbourhood


# Schema-qualified names in pg_restore's SQL: `nb_x.table`, `SCHEMA nb_x`, `'nb_x.seq'`.
def _renamer(old: str, new: str) -> re.Pattern[str]:
    return re.compile(rf'(?<![\w$])"?{re.escape(old)}"?(?![\w$])')


def _replay_into(dump: Path, old: str, new: str) -> None:
    """Replay the dump as SQL into schema `new`: names changed, COPY data left as it is."""
    sql = _pg("pg_restore", "--no-owner", "--no-privileges", "--file", "-", str(dump),
              with_db=False)  # fmt: skip
    renamer = _renamer(old, new)
    lines, in_data = [], False
    for line in sql.splitlines(keepends=True):
        if in_data:
            in_data = line != "\\.\n"
        else:
            in_data = line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;")
            line = renamer.sub(new, line)
        lines.append(line)
    _pg("psql", "--quiet", "--no-psqlrc", "--set", "ON_ERROR_STOP=1", "--single-transaction",
        "--file", "-", stdin="".join(lines))  # fmt: skip


def _check_migrations(schema: str) -> None:
    with schema_context(schema):
        applied = set(MigrationRecorder(connection).applied_migrations())
    unknown = applied - set(_disk_migrations())
    if unknown:
        raise BackupError(
            "the backup is newer than this code (unknown migrations: "
            + ", ".join(sorted(f"{app}.{name}" for app, name in unknown))
            + "): restore after deploying that code"
        )


def _publish(
    registry: dict[str, Any],
    staging: str,
    target: str,
    slug: str,
    hostnames: list[str],
    inspecting: bool,
) -> Neighbourhood:
    fields = dict(registry["fields"])
    if inspecting:
        fields["status"] = Neighbourhood.Status.ARCHIVED  # a copy to look at, not a second site
        fields["name"] = f"{fields['name']} ({slug})"
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER SCHEMA "{staging}" RENAME TO "{target}"')
        neighbourhood = Neighbourhood.objects.create(schema_name=target, slug=slug, **fields)
        if neighbourhood.status == Neighbourhood.Status.ARCHIVED:
            Neighbourhood.objects.filter(pk=neighbourhood.pk).update(archived_at=timezone.now())
        primaries = {d["domain"]: d["is_primary"] for d in registry["domains"]}
        for index, hostname in enumerate(hostnames):
            Domain.objects.create(
                tenant=neighbourhood,
                domain=hostname,
                is_primary=primaries.get(hostname, index == 0),
            )
    connection.set_schema_to_public()
    return neighbourhood


def _restore_media(backup: Backup, target: str) -> None:
    if not backup.media.is_file():
        return
    folder = settings.MEDIA_ROOT / target
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup.media) as archive:
        archive.extractall(folder, filter="data")  # no links or paths outside the folder


def _drop_schema(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def _pg(tool: str, *args: str, with_db: bool = True, stdin: str | None = None) -> str:
    connection_args, env = pg_connection_args()
    result = subprocess.run(  # noqa: S603 - fixed tools, arguments from settings and checked names
        [pg_tool(tool), *(connection_args if with_db else []), *args],
        input=stdin,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout
