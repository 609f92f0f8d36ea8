"""The platform's registry of neighbourhoods (public schema)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tijdvoorelkaar.theming.registry import theme_choices

from .naming import validate_slug

HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1a5f7a."))


class Moderation(models.TextChoices):
    AFTER = "after", _("Publish at once, review afterwards")
    BEFORE = "before", _("Hold new ads for approval by the broker")


class Language(models.TextChoices):
    DUTCH = "nl", "Nederlands"
    ENGLISH = "en", "English"


def default_follow_up_weeks() -> list[int]:
    return [2, 6]


class Neighbourhood(TenantMixin):
    """One neighbourhood: a tenant with its own schema, domain(s), theme and settings."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=40, unique=True, validators=[validate_slug])
    theme = models.CharField(_("theme"), max_length=40, choices=theme_choices, default="default")
    languages = ArrayField(
        models.CharField(max_length=5, choices=Language.choices),
        verbose_name=_("languages"),
        default=list,
        help_text=_("The first language is the default."),
    )
    credits_enabled = models.BooleanField(_("time credits on"), default=False)
    credit_name = models.CharField(
        _("name of the time credit"), max_length=30, default="Roosjes", blank=True
    )
    # The name is the plural ("2 Roosjes"); one is called by this ("1 Roosje"). A name the
    # neighbourhood chose is the same in every language.
    credit_name_singular = models.CharField(
        _("name of one time credit"), max_length=30, default="Roosje", blank=True
    )
    # Limits of the credits ledger (tenants/credits): balances never go below zero; these
    # two are optional. Empty means no maximum, and credits that never expire.
    credit_max_balance = models.DecimalField(
        _("maximum balance of a participant"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_("Empty: no maximum. Nobody can receive credits that take them above it."),
    )
    credit_expiry_months = models.PositiveSmallIntegerField(
        _("credits expire after (months without use)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Empty: credits never expire."),
    )
    reporting_year_start_month = models.PositiveSmallIntegerField(
        _("reporting year starts in month"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    moderation = models.CharField(
        _("ad moderation"), max_length=10, choices=Moderation.choices, default=Moderation.AFTER
    )
    ad_lifetime_weeks = models.PositiveSmallIntegerField(
        _("ads run for (weeks)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("Owners are mailed a renewal link a week before their ad expires."),
    )
    support_conversation_limit = models.PositiveSmallIntegerField(
        _("support conversations per participant"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("The broker is warned when a participant reaches it."),
    )
    follow_up_weeks = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(52)]),
        verbose_name=_("follow up after (weeks)"),
        default=default_follow_up_weeks,
        size=5,
        help_text=_("When a mediation starts, follow-ups are scheduled after these weeks."),
    )
    broker_phone = models.CharField(_("broker's phone"), max_length=30, blank=True)
    broker_office_hours = models.CharField(_("broker's office hours"), max_length=200, blank=True)
    broker_address = models.CharField(_("broker's address"), max_length=200, blank=True)
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        blank=True,
        validators=[HEX_COLOUR],
        help_text=_("Optional; must keep a contrast of at least 4.5:1 with white text."),
    )
    tagline = models.CharField(_("tagline"), max_length=140, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    # Provisioning creates the schema itself (from the blueprint); never as a side effect of save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else Language.DUTCH

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED


class Domain(DomainMixin):
    """A host name that serves a neighbourhood; exactly one per neighbourhood is primary."""

    class Meta:
        ordering = ["-is_primary", "domain"]


class Blueprint(models.Model):
    """The DDL (and seed rows) of a fully migrated neighbourhood schema, replayed to provision.

    `migration_state` fingerprints the tenant migrations on disk; provisioning rebuilds the
    blueprint whenever it no longer matches, so it cannot go stale as migrations accumulate.
    """

    migration_state = models.CharField(max_length=64)
    sql = models.TextField()
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"blueprint {self.migration_state[:12]}"


class BackgroundJob(models.Model):
    """Work an operator asked for, run in the background; its page shows progress (live steps
    in the platform cache: `neighbourhoods.jobs.report_progress`, `job_progress`). Provisioning
    here, backups and restores in `operations`."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=120, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # Like AuditEvent.actor: deleting a neighbourhood's user must never reach this public table.
    requested_by = models.ForeignKey(
        "accounts.User",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The language of whoever asked (a page's or the API's): the job writes its error in it.
    language = models.CharField(max_length=7, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def in_its_language(self) -> translation.override:
        """Run the job in its asker's language (the site's default for an older job)."""
        return translation.override(self.language or settings.LANGUAGE_CODE)

    @property
    def has_ended(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def record(self, **fields: object) -> None:
        """Save these fields (and the end time, when the job has ended)."""
        for name, value in fields.items():
            setattr(self, name, value)
        if self.has_ended:
            self.finished_at = self.finished_at or timezone.now()
            fields["finished_at"] = self.finished_at
        self.save(update_fields=list(fields))


class ProvisioningJob(BackgroundJob):
    """A request to create a neighbourhood, run in the background; its page shows progress."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BackgroundJob.Meta):
        pass

    def __str__(self) -> str:
        return f"provisioning {self.request.get('slug', '')} ({self.status})"
