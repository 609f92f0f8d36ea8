"""Writes to the neighbourhood registry: provisioning, settings, archiving, deletion.

The console form, the `provision_neighbourhood` command, the API and the background job
all call `provision_neighbourhood`; it is all-or-nothing (one transaction, DDL included).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tenants.utils import schema_exists, tenant_context

from tijdvoorelkaar.contributions import hooks
from tijdvoorelkaar.jobs import enqueue_on_commit
from tijdvoorelkaar.theming.contrast import contrast_ratio
from tijdvoorelkaar.theming.registry import all_themes, get_theme

from .blueprint import current_blueprint, pg_connection_args, pg_tool, replay_blueprint
from .models import Domain, Moderation, Neighbourhood
from .naming import schema_name_for, validate_domain, validate_slug
from .selectors import forget_hosts
from .spares import hold_provisioning_lock, replay_if_none_ready, take_spare

# Steps are reported untranslated (gettext_noop) and translated where they are shown, in the
# reader's language: the job runs in a worker that has no reader.
Progress = Callable[[int, str], None]
SETTINGS_FIELDS = (
    "name",
    "theme",
    "languages",
    "credits_enabled",
    "credit_name",
    "credit_name_singular",
    "credit_max_balance",
    "credit_expiry_months",
    "reporting_year_start_month",
    "moderation",
    "ad_lifetime_weeks",
    "support_conversation_limit",
    "follow_up_weeks",
    "broker_phone",
    "broker_office_hours",
    "broker_address",
    "accent_colour",
    "tagline",
)


@dataclass
class NeighbourhoodSpec:
    """Everything needed to create a neighbourhood; `validate_spec()` checks it completely."""

    name: str
    slug: str
    domains: list[str]
    admin_email: str
    admin_name: str = ""
    theme: str = "default"
    languages: list[str] = field(default_factory=lambda: ["nl", "en"])
    credits_enabled: bool = False
    credit_name: str = "Roosjes"
    credit_name_singular: str = "Roosje"
    credit_max_balance: Decimal | None = None
    credit_expiry_months: int | None = None
    reporting_year_start_month: int = 7
    moderation: str = Moderation.AFTER
    ad_lifetime_weeks: int = 8
    support_conversation_limit: int = 3
    follow_up_weeks: list[int] = field(default_factory=lambda: [2, 6])
    broker_phone: str = ""
    broker_office_hours: str = ""
    broker_address: str = ""
    accent_colour: str = ""
    tagline: str = ""

    def normalise(self) -> NeighbourhoodSpec:
        self.name = self.name.strip()
        self.slug = self.slug.strip().lower()
        self.domains = [d.strip().lower().rstrip(".") for d in self.domains if d.strip()]
        self.admin_email = self.admin_email.strip().lower()
        return self

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def settings_values(self) -> dict[str, Any]:
        """The values that become the Neighbourhood's settings fields."""
        return {name: getattr(self, name) for name in SETTINGS_FIELDS}


def validate_spec(spec: NeighbourhoodSpec) -> None:
    """Raise one ValidationError naming every field that is wrong."""
    spec.normalise()
    errors: dict[str, list[str]] = {}

    def check(field_name: str, check_fn: Callable[[], None]) -> None:
        try:
            check_fn()
        except ValidationError as error:
            errors.setdefault(field_name, []).extend(error.messages)

    check("slug", lambda: validate_slug(spec.slug))
    if "slug" not in errors and Neighbourhood.objects.filter(slug=spec.slug).exists():
        errors["slug"] = [_("A neighbourhood with this slug already exists.")]
    if "slug" not in errors and schema_exists(schema_name_for(spec.slug)):
        errors["slug"] = [_("A schema with this name already exists.")]
    if not spec.domains:
        errors["domains"] = [_("Give at least one domain.")]
    for domain in spec.domains:
        check("domains", lambda d=domain: validate_domain(d))
    if len(set(spec.domains)) != len(spec.domains):
        errors.setdefault("domains", []).append(_("A domain is listed twice."))
    taken = list(Domain.objects.filter(domain__in=spec.domains).values_list("domain", flat=True))
    if taken:
        errors.setdefault("domains", []).append(
            _("Already in use: %(domains)s.") % {"domains": ", ".join(sorted(taken))}
        )
    check("admin_email", lambda: _validate_email(spec.admin_email))
    candidate = Neighbourhood(
        schema_name=schema_name_for(spec.slug) if "slug" not in errors else "x",
        **spec.settings_values(),
        slug=spec.slug,
    )
    check_settings(candidate, errors, exclude={"slug", "schema_name"})
    if errors:
        raise ValidationError(errors)


def _validate_email(value: str) -> None:
    from django.core.validators import validate_email

    validate_email(value)


def check_settings(
    neighbourhood: Neighbourhood, errors: dict[str, list[str]], exclude: set[str] | None = None
) -> None:
    """Field validation plus the rules that span fields (languages, theme, contrast)."""
    try:
        neighbourhood.full_clean(exclude=list(exclude or ()), validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if not neighbourhood.languages:  # says what to do, instead of the model's "cannot be blank"
        errors["languages"] = [_("Choose at least one language.")]
    elif len(set(neighbourhood.languages)) != len(neighbourhood.languages):
        errors.setdefault("languages", []).append(_("A language is listed twice."))
    if neighbourhood.theme not in all_themes():
        errors.setdefault("theme", []).append(_("Unknown theme."))
    if neighbourhood.follow_up_weeks != sorted(set(neighbourhood.follow_up_weeks)):
        errors.setdefault("follow_up_weeks", []).append(
            _("List the weeks from early to late, each once.")
        )
    if neighbourhood.credits_enabled and not neighbourhood.credit_name.strip():
        errors.setdefault("credit_name", []).append(_("Give the time credit a name."))
    if neighbourhood.accent_colour and "accent_colour" not in errors:
        colours = get_theme(neighbourhood.theme).colours
        worst = min(
            contrast_ratio(neighbourhood.accent_colour, colours["on_primary"]),
            contrast_ratio(neighbourhood.accent_colour, colours["background"]),
        )
        if worst < 4.5:
            errors.setdefault("accent_colour", []).append(
                _(
                    "This colour is too light or too dark to read text on (contrast %(ratio).1f:1,"
                    " at least 4.5:1 needed)."
                )
                % {"ratio": worst}
            )


def provision_neighbourhood(
    *, spec: NeighbourhoodSpec, progress: Progress | None = None
) -> Neighbourhood:
    """Create a neighbourhood: schema from the blueprint, registry rows, seed data and the
    first admin's invitation, all in one transaction."""
    report = progress or (lambda _percent, _step: None)
    validate_spec(spec)
    report(10, gettext_noop("Preparing the blueprint"))
    blueprint = current_blueprint()
    with transaction.atomic():
        report(30, gettext_noop("Creating the database schema"))
        # With the pool empty, the replay (tenths of a second) is made before the lock, so
        # that refills can publish their spares meanwhile and other provisionings go on.
        replayed = replay_if_none_ready(blueprint)
        hold_provisioning_lock()
        validate_spec(spec)  # again, under the lock: another request may have taken the name
        schema_name = schema_name_for(spec.slug)
        state = blueprint.migration_state
        if not take_spare(state=state, schema_name=schema_name, replayed=replayed):
            replay_blueprint(blueprint, schema_name)  # the last spare went while it looked
        report(60, gettext_noop("Registering the neighbourhood and its domains"))
        neighbourhood = Neighbourhood.objects.create(
            schema_name=schema_name,
            slug=spec.slug,
            **spec.settings_values(),
        )
        for index, domain in enumerate(spec.domains):
            Domain.objects.create(domain=domain, tenant=neighbourhood, is_primary=index == 0)
        report(75, gettext_noop("Adding default data"))
        with tenant_context(neighbourhood):
            _seed(neighbourhood)
            report(90, gettext_noop("Inviting the first admin"))
            _invite_first_admin(spec)
        _refill_pool_after_commit()
    forget_hosts(spec.domains)
    report(100, gettext_noop("Done"))
    return neighbourhood


def _refill_pool_after_commit() -> None:
    if settings.PROVISIONING_SPARE_SCHEMAS:
        enqueue_on_commit("neighbourhoods.refill_spare_schemas")


def _seed(neighbourhood: Neighbourhood) -> None:
    """Let each neighbourhood app add its defaults: the `seed` its contributions declare."""
    for seed in hooks("seed"):
        seed(neighbourhood)


def _invite_first_admin(spec: NeighbourhoodSpec) -> None:
    from tijdvoorelkaar.accounts.models import Role
    from tijdvoorelkaar.accounts.services import invite_user

    invite_user(email=spec.admin_email, full_name=spec.admin_name, role=Role.ADMIN, invited_by=None)


def update_settings(
    *, neighbourhood: Neighbourhood, changes: dict[str, Any], changed_by: Any
) -> Neighbourhood:
    """Change a neighbourhood's settings and branding; all fields valid or nothing changes."""
    allowed = set(SETTINGS_FIELDS)
    if getattr(changed_by, "role", None) != "operator":
        allowed.discard("theme")  # a neighbourhood brands itself within the theme it was given
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: [_("This setting cannot be changed.")] for name in unknown})
    fresh = Neighbourhood.objects.get(pk=neighbourhood.pk)
    before = {name: getattr(fresh, name) for name in changes}  # the row, not a cached copy
    for name, value in changes.items():
        setattr(fresh, name, value)
    errors: dict[str, list[str]] = {}
    check_settings(fresh, errors)
    if errors:
        raise ValidationError(errors)
    changed = [name for name in changes if before[name] != getattr(fresh, name)]
    with transaction.atomic():
        fresh.save(update_fields=changed or ["name"])
        audit_in_schema(fresh, changed_by, "neighbourhood.settings_changed", {"fields": changed})
    forget_hosts(d.domain for d in fresh.domains.all())
    return fresh


def archive_neighbourhood(*, neighbourhood: Neighbourhood, archived_by: Any) -> Neighbourhood:
    """Close a neighbourhood's site; its data stays and it can be reopened."""
    return _set_status(neighbourhood, Neighbourhood.Status.ARCHIVED, archived_by)


def reopen_neighbourhood(*, neighbourhood: Neighbourhood, reopened_by: Any) -> Neighbourhood:
    """Open an archived neighbourhood's site again, as it was."""
    return _set_status(neighbourhood, Neighbourhood.Status.ACTIVE, reopened_by)


def _set_status(neighbourhood: Neighbourhood, status: str, by: Any) -> Neighbourhood:
    neighbourhood.status = status
    neighbourhood.archived_at = timezone.now() if status == Neighbourhood.Status.ARCHIVED else None
    with transaction.atomic():
        neighbourhood.save(update_fields=["status", "archived_at"])
        audit_in_schema(neighbourhood, by, f"neighbourhood.{status}", {})
    forget_hosts(d.domain for d in neighbourhood.domains.all())
    return neighbourhood


def delete_neighbourhood(*, neighbourhood: Neighbourhood, confirm_slug: str) -> Path:
    """Write a pg_dump of the schema, then drop it and its registry rows. Returns the dump."""
    if confirm_slug != neighbourhood.slug:
        raise ValidationError(
            {"confirm_slug": [_("Type the neighbourhood's slug exactly to confirm.")]}
        )
    # Close the site first, so nothing is written between the dump and the drop.
    was_archived = neighbourhood.is_archived
    archive_neighbourhood(neighbourhood=neighbourhood, archived_by=None)
    try:
        backup = backup_schema(neighbourhood)
    except BackupFailed:
        if not was_archived:
            reopen_neighbourhood(neighbourhood=neighbourhood, reopened_by=None)
        raise
    hostnames = [d.domain for d in neighbourhood.domains.all()]
    with transaction.atomic():
        neighbourhood.domains.all().delete()
        schema_name = neighbourhood.schema_name
        neighbourhood.delete()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema_name}" CASCADE')
    forget_hosts(hostnames)
    return backup


class BackupFailed(Exception):
    """pg_dump did not write the backup; nothing was deleted."""


def backup_schema(neighbourhood: Neighbourhood) -> Path:
    """Write a pg_dump (custom format) of the neighbourhood's schema to BACKUP_DIR."""
    settings.BACKUP_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(tz=timezone.get_current_timezone()).strftime("%Y%m%d-%H%M%S-%f")
    target = settings.BACKUP_DIR / f"{neighbourhood.slug}-{stamp}.dump"
    args, env = pg_connection_args()
    try:
        _run_pg_dump(args, env, neighbourhood.schema_name, target)
    except (subprocess.CalledProcessError, OSError, RuntimeError) as error:
        raise BackupFailed(
            _("The backup of %(name)s could not be written (%(kind)s); nothing was deleted.")
            % {"name": neighbourhood.name, "kind": type(error).__name__}
        ) from error
    return target


def _run_pg_dump(args: list[str], env: dict[str, str], schema_name: str, target: Path) -> None:
    subprocess.run(  # noqa: S603 - fixed tool, arguments from settings and a validated name
        [
            pg_tool("pg_dump"),
            *args,
            "--schema",
            schema_name,
            "--format",
            "custom",
            "--file",
            str(target),
        ],
        env=env,
        check=True,
        capture_output=True,
    )


def audit_in_schema(
    neighbourhood: Neighbourhood, actor: Any, action: str, detail: dict[str, Any]
) -> None:
    """Record a change in the neighbourhood's own audit log, also when an operator made it
    from the console (operators live in the public schema: they are named by role only)."""
    from tenants.audit.services import record_audit_event

    if connection.schema_name == neighbourhood.schema_name:
        record_audit_event(actor=actor, action=action, detail=detail)
        return
    with tenant_context(neighbourhood):
        record_audit_event(actor=None, action=action, detail=detail)


def resend_admin_invitations(*, neighbourhood: Neighbourhood) -> int:
    """Send every admin who has not accepted yet a fresh invitation; returns how many."""
    from tijdvoorelkaar.accounts.models import Role, User
    from tijdvoorelkaar.accounts.services import send_invitation

    with tenant_context(neighbourhood), transaction.atomic():
        pending = [
            user
            for user in User.objects.filter(role=Role.ADMIN, is_active=False)
            if not user.has_usable_password()
        ]
        for user in pending:
            send_invitation(user=user)
        if pending:
            audit_in_schema(
                neighbourhood, None, "account.invitation_resent", {"count": len(pending)}
            )
    return len(pending)
