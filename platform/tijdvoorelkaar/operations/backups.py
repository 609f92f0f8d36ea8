"""Backing up one neighbourhood (the restore is in `restoring.py`).

A backup is a folder `BACKUP_DIR/<slug>/<stamp>/` holding
- `schema.dump`: `pg_dump --format custom` of the neighbourhood's schema (all its data);
- `registry.json`: its rows in `public` (the Neighbourhood row's settings, its domains) and the
  migration state (the blueprint's fingerprint) of the code that wrote it;
- `media.tar.gz`: its uploaded photos (`MEDIA_ROOT/<schema>/`), when it has any.
A deletion leaves a bare dump beside those folders, `BACKUP_DIR/<slug>-<stamp>.dump`.
Docs: docs/operations.md#backups-and-the-restore-drill.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from tijdvoorelkaar.neighbourhoods.blueprint import migration_state, pg_connection_args, pg_tool
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import SETTINGS_FIELDS, audit_in_schema

# What a backup keeps of the registry row: every setting an admin or operator can change, and
# whether it is open.
REGISTRY_FIELDS = (*SETTINGS_FIELDS, "status")
STAMP = "%Y%m%d-%H%M%S-%f"
DELETION_DUMP = re.compile(r"(?P<slug>[a-z][a-z0-9-]*)-(?P<stamp>\d{8}-\d{6}-\d{6})\.dump")


class BackupError(Exception):
    """A backup could not be written, or a restore could not be done; nothing changed."""


@dataclass(frozen=True)
class Backup:
    folder: Path
    dump: Path
    media: Path
    registry: dict[str, Any]

    @property
    def key(self) -> str:
        """Its name among the neighbourhood's backups: the stamp, or `deletion-<stamp>`."""
        match = DELETION_DUMP.fullmatch(self.dump.name)
        return f"deletion-{match['stamp']}" if match else self.folder.name


def read_backup(path: Path) -> Backup:
    """A backup folder, or the bare dump a deletion writes (`<slug>-<stamp>.dump`: schema
    only; restored archived, with default settings and no domains unless given)."""
    if (path / "registry.json").is_file():
        try:
            registry = json.loads((path / "registry.json").read_text())
            registry["schema_name"], registry["slug"], registry["fields"]  # noqa: B018
        except (ValueError, KeyError, TypeError, OSError) as error:
            raise BackupError(_("The backup's registry.json cannot be read.")) from error
        return Backup(path, path / "schema.dump", path / "media.tar.gz", registry)
    match = DELETION_DUMP.fullmatch(path.name)
    if match is None or not path.is_file():
        raise BackupError(
            _("%(name)s is neither a backup folder nor a deletion's dump.") % {"name": path.name}
        )
    return Backup(path.parent, path, path.with_suffix(".none"), _registry_of(path, match["slug"]))


def _registry_of(dump: Path, slug: str) -> dict[str, Any]:
    try:
        listing = _pg("pg_restore", "--list", str(dump), with_db=False)
    except subprocess.CalledProcessError as error:
        raise BackupError(unreadable(dump)) from error
    schema = re.search(r"^\d+; \d+ \d+ SCHEMA - (\S+) ", listing, re.MULTILINE)
    if schema is None:
        raise BackupError(unreadable(dump))
    return {
        "slug": slug,
        "schema_name": schema[1],
        "migration_state": "",  # unknown: migrated forward after the restore (a no-op if current)
        "fields": {"name": slug, "status": Neighbourhood.Status.ARCHIVED},
        "domains": [],
    }


def unreadable(dump: Path) -> str:
    return _("The dump %(name)s cannot be read: it is damaged or not a pg_dump file.") % {
        "name": dump.name
    }


def backup_neighbourhood(*, neighbourhood: Neighbourhood, by: Any = None, job: str = "") -> Backup:
    """Write a backup of `neighbourhood` (schema, registry rows, photos); returns it. A backup
    someone asked for (`by`, from the console or API; not the nightly one) is recorded in the
    neighbourhood's audit log, with the `job` that made it."""
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
            _("The backup of %(slug)s failed (%(kind)s); nothing was written.")
            % {"slug": neighbourhood.slug, "kind": type(error).__name__}
        ) from error
    if by is not None:
        audit_in_schema(neighbourhood, by, "neighbourhood.backed_up", {"backup": stamp, "job": job})
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
