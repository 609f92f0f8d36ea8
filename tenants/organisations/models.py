"""The social map: local organisations (schools, care homes, clubs, churches, shops) that post
volunteer vacancies and take in volunteers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.people.models import Participant, SubArea


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        CARE = "care", _("Care or nursing home")
        WELFARE = "welfare", _("Welfare or social work")
        CLUB = "club", _("Club or association")
        FAITH = "faith", _("Church, mosque or other faith group")
        SHOP = "shop", _("Shop or business")
        COMMUNITY = "community", _("Community centre")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    sub_area = models.ForeignKey(  # no index: tens of organisations, scanned
        SubArea,
        verbose_name=_("sub-area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    website = models.URLField(_("website"), blank=True)
    # The contact person is a professional contact, not a participant: brokers see it.
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    # Participants (with an account of role "organisation") who may post its vacancies.
    members = models.ManyToManyField(
        Participant,
        verbose_name=_("members"),
        blank=True,
        related_name="organisations",
        through="Membership",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A participant who may post an organisation's vacancies: the join table, keyed by the
    pair itself (docs/adr/0011)."""

    pk = models.CompositePrimaryKey("organisation", "participant")
    organisation = models.ForeignKey(  # no index of its own: the key leads with it
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    participant = models.ForeignKey(  # no index: tens of members, scanned
        Participant, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        db_table = "organisations_organisation_members"

    def __str__(self) -> str:
        return f"participant {self.participant_id} of organisation {self.organisation_id}"
