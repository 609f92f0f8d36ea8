"""Restoring a neighbourhood from a backup into a running deployment, all or nothing.

A restore never touches another neighbourhood: the dump is replayed into a staging schema of
its own (its SQL with the schema's name changed outside the data), migrated forward there when
it is older than the code, its photos unpacked beside it, and only then renamed into place in
one short transaction with the registry rows. Whatever fails before that transaction leaves
no schema, no registry row and no photos behind. Replacing a live neighbourhood (only when
asked) first writes a backup of it, swaps the schemas in that same transaction, and drops the
old schema after the commit. Docs: docs/operations.md#backups-and-the-restore-drill.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tenants.utils import schema_context, schema_exists, tenant_context

from tijdvoorelkaar.contributions import hooks
from tijdvoorelkaar.neighbourhoods.blueprint import _disk_migrations, migration_state
from tijdvoorelkaar.neighbourhoods.models import Domain, Neighbourhood
from tijdvoorelkaar.neighbourhoods.naming import schema_name_for, validate_domain, validate_slug
from tijdvoorelkaar.neighbourhoods.selectors import forget_hosts
from tijdvoorelkaar.neighbourhoods.services import audit_in_schema
from tijdvoorelkaar.plain_rows import rewrite_sql

from .backups import Backup, BackupError, _pg, backup_neighbourhood, unreadable

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class RestorePlan:
    """What a restore will do, checked before it runs (a form or API call answers at once)."""

    slug: str
    hostnames: list[str]
    inspecting: bool  # a copy under another name, archived, beside the original
    replaces: Neighbourhood | None  # the live neighbourhood it will replace, when asked to


def plan_restore(
    *,
    backup: Backup,
    slug: str | None = None,
    domains: list[str] | None = None,
    replace: bool = False,
) -> RestorePlan:
    """Check a restore of `backup` under `slug` (default: its own) on `domains` (default: its
    own, none for a copy); raises one ValidationError naming every field that is wrong. A
    neighbourhood that exists under the slug is replaced only with `replace`."""
    registry = backup.registry
    target = slug or registry["slug"]
    errors: dict[str, list[str]] = {}
    try:
        validate_slug(target)
    except ValidationError as error:
        errors["slug"] = error.messages
    inspecting = target != registry["slug"]
    live = Neighbourhood.objects.filter(slug=target).first() if "slug" not in errors else None
    if replace and inspecting:
        errors["replace"] = [_("Only a neighbourhood's own backup can replace it.")]
    elif "slug" not in errors and (live or schema_exists(schema_name_for(target))):
        if not (replace and live):
            errors["slug"] = [
                _("A neighbourhood %(slug)s exists: restore under another name.") % {"slug": target}
            ]
    if domains is None:
        hostnames = [] if inspecting else [d["domain"] for d in registry["domains"]]
    else:
        hostnames = domains
        _check_domains(hostnames, errors)
    # Named, as provisioning names them: restoring a deleted neighbourhood whose domain has
    # since gone to another, the operator must know which one to leave out.
    in_use = Domain.objects.filter(domain__in=hostnames).exclude(tenant=live)
    taken = sorted(in_use.values_list("domain", flat=True))
    if taken:
        errors.setdefault("domains", []).append(
            _("Already in use: %(domains)s.") % {"domains": ", ".join(taken)}
        )
    if errors:
        raise ValidationError(errors)
    return RestorePlan(target, hostnames, inspecting, live if replace else None)


def _check_domains(hostnames: list[str], errors: dict[str, list[str]]) -> None:
    for hostname in hostnames:
        try:
            validate_domain(hostname)
        except ValidationError as error:
            errors.setdefault("domains", []).extend(error.messages)
    if len(set(hostnames)) != len(hostnames):
        errors.setdefault("domains", []).append(_("A domain is listed twice."))


def restore_neighbourhood(
    *,
    backup: Backup,
    slug: str | None = None,
    domains: list[str] | None = None,
    replace: bool = False,
    by: Any = None,
    job: str = "",
    progress: Progress | None = None,
) -> Neighbourhood:
    """Bring a neighbourhood back from `backup`: under its own slug (deleted, or dropped after
    damage; a live one only with `replace`), or under `slug` to inspect a copy beside the live
    one (archived, on `domains` only). Migrates it forward when the backup is older than the
    code; refuses a backup newer than the code or a dump that cannot be read. Records the
    restore in the restored neighbourhood's audit log. Returns the restored neighbourhood."""
    report = progress or (lambda percent, step: None)
    plan = plan_restore(backup=backup, slug=slug, domains=domains, replace=replace)
    old_hosts = [d.domain for d in plan.replaces.domains.all()] if plan.replaces else []
    staging = f"tve_restore_{secrets.token_hex(6)}"
    media = settings.MEDIA_ROOT / staging
    try:
        report(10, gettext_noop("Reading the backup"))
        _replay_into(backup, staging)
        _check_migrations(staging)
        if backup.registry["migration_state"] != migration_state():  # older: newer was refused
            report(40, gettext_noop("Migrating forward"))
            _migrate(staging)
        report(70, gettext_noop("Restoring photos"))
        _unpack_media(backup, media)
        if plan.replaces is not None:
            report(80, gettext_noop("Backing up the neighbourhood it replaces"))
            backup_neighbourhood(neighbourhood=plan.replaces)
        report(90, gettext_noop("Publishing"))
        neighbourhood, replaced = _publish(backup, plan, staging, by=by, job=job)
    except BaseException:
        _drop_schema(staging)
        shutil.rmtree(media, ignore_errors=True)
        raise
    _drop_schema(replaced)
    _move_media(media, settings.MEDIA_ROOT / neighbourhood.schema_name)
    forget_hosts(plan.hostnames + old_hosts)
    with tenant_context(neighbourhood):
        # The cache keys carry the schema's name, which a replaced neighbourhood keeps: pages
        # cached from what it held before would outlive the restore.
        for refresh in hooks("public_face_changed"):
            refresh()
    return neighbourhood


# Schema-qualified names in pg_restore's SQL: `nb_x.table`, `SCHEMA nb_x`, `'nb_x.seq'`.
def _renamer(old: str, new: str) -> re.Pattern[str]:
    return re.compile(rf'(?<![\w$])"?{re.escape(old)}"?(?![\w$])')


def _replay_into(backup: Backup, new: str) -> None:
    """Replay the dump as SQL into schema `new`: names changed, COPY data left as it is."""
    if not backup.dump.is_file():
        raise BackupError(unreadable(backup.dump))
    try:
        sql = _pg("pg_restore", "--no-owner", "--no-privileges", "--file", "-",
                  str(backup.dump), with_db=False)  # fmt: skip
    except subprocess.CalledProcessError as error:
        raise BackupError(unreadable(backup.dump)) from error
    renamer = _renamer(backup.registry["schema_name"], new)
    lines, in_data = [], False
    for line in sql.splitlines(keepends=True):
        if in_data:
            in_data = line != "\\.\n"
        else:
            in_data = line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;")
            line = renamer.sub(new, line)
        lines.append(line)
    try:
        _pg("psql", "--quiet", "--no-psqlrc", "--set", "ON_ERROR_STOP=1", "--single-transaction",
            "--file", "-", stdin="".join(lines))  # fmt: skip
    except subprocess.CalledProcessError as error:
        raise BackupError(unreadable(backup.dump)) from error
    if not schema_exists(new):  # pg_restore read nothing it could replay
        raise BackupError(unreadable(backup.dump))
    rewrite = rewrite_sql(new)  # the TOAST tables CREATE TABLE made for plain tables
    if rewrite:
        with connection.cursor() as cursor:
            cursor.execute(rewrite)


def _check_migrations(schema: str) -> None:
    with schema_context(schema):
        recorder = MigrationRecorder(connection)
        if not recorder.has_table():
            raise BackupError(_("The backup holds no neighbourhood: it has no migrations."))
        applied = set(recorder.applied_migrations())
    unknown = applied - set(_disk_migrations())
    if unknown:
        raise BackupError(
            _(
                "The backup is newer than this code (unknown migrations: %(names)s): "
                "restore it after deploying that code."
            )
            % {"names": ", ".join(sorted(f"{app}.{name}" for app, name in unknown))}
        )


def _migrate(schema: str) -> None:
    """Migrate the staging schema (no registry row yet: nothing can reach it meanwhile)."""
    call_command(
        "migrate_schemas",
        schema_name=schema,
        tenant=True,
        interactive=False,
        verbosity=0,
        skip_blueprint=True,
    )
    connection.set_schema_to_public()


def _publish(
    backup: Backup, plan: RestorePlan, staging: str, *, by: Any, job: str
) -> tuple[Neighbourhood, str]:
    """One transaction: the staging schema becomes the neighbourhood's, with its registry
    rows. Returns it and the schema it replaced (dropped after the commit), if any."""
    fields = dict(backup.registry["fields"])
    if plan.inspecting:
        fields["status"] = Neighbourhood.Status.ARCHIVED  # a copy to look at, not a second site
        fields["name"] = f"{fields['name']} ({plan.slug})"
    target = schema_name_for(plan.slug)
    replaced = ""
    with transaction.atomic(), connection.cursor() as cursor:
        if plan.replaces is not None:
            replaced = f"tve_replaced_{secrets.token_hex(6)}"
            cursor.execute(f'ALTER SCHEMA "{target}" RENAME TO "{replaced}"')
            plan.replaces.domains.all().delete()
        cursor.execute(f'ALTER SCHEMA "{staging}" RENAME TO "{target}"')
        neighbourhood = plan.replaces or Neighbourhood(schema_name=target, slug=plan.slug)
        for name, value in fields.items():
            setattr(neighbourhood, name, value)
        archived = neighbourhood.status == Neighbourhood.Status.ARCHIVED
        neighbourhood.archived_at = timezone.now() if archived else None
        neighbourhood.save()
        primaries = {d["domain"]: d["is_primary"] for d in backup.registry["domains"]}
        for index, hostname in enumerate(plan.hostnames):
            Domain.objects.create(
                tenant=neighbourhood,
                domain=hostname,
                is_primary=primaries.get(hostname, index == 0),
            )
        detail = {"backup": backup.key, "from": backup.registry["slug"], "job": job}
        if by is not None:
            audit_in_schema(neighbourhood, by, "neighbourhood.restored", detail)
    connection.set_schema_to_public()
    return neighbourhood, replaced


def _unpack_media(backup: Backup, folder: Path) -> None:
    if not backup.media.is_file():
        return
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(backup.media) as archive:
            archive.extractall(folder, filter="data")  # no links or paths outside the folder
    except (tarfile.TarError, OSError) as error:
        raise BackupError(_("The backup's photos cannot be read.")) from error


def _move_media(staged: Path, target: Path) -> None:
    """After the commit: the backup's photos replace any left under the schema's name (a
    backup without photos leaves those alone: a deletion's dump holds none)."""
    if not staged.exists():
        return
    if target.exists():
        shutil.rmtree(target)
    staged.rename(target)


def _drop_schema(name: str) -> None:
    if not name:
        return
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
