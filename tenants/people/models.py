"""The people of a neighbourhood: participants, the sub-areas they live in, and the one-time
links that let someone without an account confirm and manage what they placed.

A participant's public face is `display_name`, `sub_area` and `introduction`; everything else
on the row is contact data, read by brokers only and never shown on public pages or logged.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.user_keys import user_reference


class SubArea(models.Model):
    """A part of the neighbourhood (Lunetten, Hoograven ...); the admin keeps the list."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("sub-area")
        verbose_name_plural = _("sub-areas")

    def __str__(self) -> str:
        return self.name


class HeardVia(models.TextChoices):
    GROUP_VISIT = "group_visit", _("Group visit")
    REFERRAL = "referral", _("GP or other referral")
    EVENT = "event", _("Event")
    POSTER = "poster", _("Poster")
    POSTCARD = "postcard", _("Postcard")
    WEBSITE = "website", _("Website")
    WORD_OF_MOUTH = "word_of_mouth", _("Word of mouth")
    OTHER = "other", _("Other")


class Participant(models.Model):
    """Someone taking part: placed an ad, responded, or was registered by the broker."""

    # Public: shown on their personal page and their ads.
    display_name = models.CharField(_("name shown on the site"), max_length=80)
    sub_area = models.ForeignKey(
        SubArea,
        verbose_name=_("sub-area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
        db_index=False,  # hundreds of participants: filters and a sub-area's removal scan them
    )
    introduction = models.TextField(_("a short introduction"), max_length=1000, blank=True)

    # Contact details: brokers only (every staff read is audited).
    full_name = models.CharField(_("full name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=5, default="nl")
    heard_via = models.CharField(
        _("heard of us through"), max_length=20, choices=HeardVia.choices, blank=True
    )
    # Someone offline may name a person who receives what the platform would mail them.
    contact_person_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_person_email = models.EmailField(_("contact person's e-mail"), blank=True)
    contact_person_phone = models.CharField(_("contact person's phone"), max_length=30, blank=True)

    # Referred or vulnerable: matched only through the broker (responses reach the broker first).
    through_broker_only = models.BooleanField(_("matched only through the broker"), default=False)

    # An account, when the participant has one (residents may; organisations do).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="participant",
    )
    registered_by = user_reference()
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)  # only the nightly figures ask
    updated_at = models.DateTimeField(auto_now=True)
    # Erasure blanks the personal fields and sets this; the row stays for the counts.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["display_name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(fields=["email"], name="participant_email"),
            models.Index(fields=["phone"], name="participant_phone"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_offline(self) -> bool:
        """Nothing can be mailed to them directly."""
        return not self.email


class ParticipantLink(models.Model):
    """A one-time link mailed to a participant: confirm an ad (which also signs them in),
    sign in again later, answer "did it work out?" or the survey. Only a hash of the token is
    stored."""

    class Purpose(models.TextChoices):
        CONFIRM_AD = "confirm_ad", _("Confirm an ad")
        SIGN_IN = "sign_in", _("Sign in")
        OUTCOME = "outcome", _("Did it work out?")
        SURVEY = "survey", _("Survey")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="links")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    # The key (docs/adr/0011): a link is found by its token's hash and nothing refers to it.
    token_hash = models.CharField(max_length=64, primary_key=True)
    # What the link is about: an ad (market.Ad) or a mediation (mediations.Mediation), by id,
    # so that this app does not depend on the apps that build on it.
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="link_expires_later"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} link for participant {self.participant_id}"


class HeldMessage(models.Model):
    """Something the platform would have mailed a participant who has no e-mail address (and
    no contact person who has one): it waits on the broker's dashboard to be passed on."""

    # No indexes: a handful wait at a time; the dashboard and a participant's page scan them.
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="held_messages", db_index=False
    )
    purpose = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = user_reference()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"held {self.purpose} for participant {self.participant_id}"


class ConsentTopic(models.TextChoices):
    REGISTRATION = "registration", _("Storing their details (registration)")
    SELF_REPORTED = "self_reported", _("Self-reported figures for the yearly report")
    SHARE_CONTACT = "share_contact", _("Passing their contact details to a match")
    NEWSLETTER = "newsletter", _("Receiving the monthly newsletter by e-mail")


class Consent(models.Model):
    """What a participant agreed to, when, and who recorded it. Withdrawing keeps the row (the
    history is the proof) and sets `withdrawn_at`; giving it again makes a new row."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    topic = models.CharField(_("consent for"), max_length=20, choices=ConsentTopic.choices)
    given_at = models.DateTimeField(_("given at"))
    recorded_by = user_reference()
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["given_at", "id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "topic"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_standing_consent_per_topic",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} consent of participant {self.participant_id}"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None


class BornAbroad(models.TextChoices):
    YES = "yes", _("Born abroad")
    NO = "no", _("Born in the Netherlands")
    UNKNOWN = "unknown", _("Unknown or rather not say")


class PaidWork(models.TextChoices):
    YES = "yes", _("Has paid work")
    NO = "no", _("No paid work")
    UNKNOWN = "unknown", _("Unknown or rather not say")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown or rather not say")


class Household(models.TextChoices):
    ALONE = "alone", _("Lives alone")
    WITH_PARTNER = "with_partner", _("With a partner")
    WITH_CHILDREN = "with_children", _("With children")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown or rather not say")


class AgeBand(models.TextChoices):
    """Wide bands, enough for a neighbourhood-help evaluation; "rather not say" is blank."""

    UNDER_25 = "under_25", _("Under 25")
    FROM_25 = "25_44", _("25 to 44")
    FROM_45 = "45_64", _("45 to 64")
    FROM_65 = "65_74", _("65 to 74")
    FROM_75 = "75_plus", _("75 and over")


class ParticipantProfile(models.Model):
    """Optional answers a participant chose to give for the yearly figures. Only kept while
    the "self_reported" consent stands; only brokers and admins see it; reported only as counts."""

    # Keyed by the participant: one profile each, no key of its own (docs/adr/0011).
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="profile", primary_key=True
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    born_abroad = models.CharField(
        _("born abroad"), max_length=10, choices=BornAbroad.choices, blank=True
    )
    paid_work = models.CharField(
        _("paid work"), max_length=10, choices=PaidWork.choices, blank=True
    )
    household = models.CharField(
        _("household"), max_length=20, choices=Household.choices, blank=True
    )
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-reported profile")
        verbose_name_plural = _("self-reported profiles")

    def __str__(self) -> str:
        return f"profile of participant {self.participant_id}"


PROFILE_FIELDS = ("gender", "born_abroad", "paid_work", "household", "age_band")


class Note(models.Model):
    """A broker's note on a participant: staff only, every read and change audited."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notes")
    author = user_reference()
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)  # sorts one participant's few notes
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"note {self.pk} on participant {self.participant_id}"


class ConductCertificate(models.Model):
    """A certificate of conduct (VOG) the broker has seen, for volunteers who visit people at
    home. Only the date it was seen and until when it counts: never its contents."""

    participant = models.ForeignKey(  # no index: tens of certificates, scanned
        Participant, on_delete=models.CASCADE, related_name="conduct_certificates", db_index=False
    )
    seen_on = models.DateField(_("seen on"))
    valid_until = models.DateField(_("counts until"))
    recorded_by = user_reference()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_until", "-id"]
        verbose_name = _("certificate of conduct (VOG)")
        verbose_name_plural = _("certificates of conduct (VOG)")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("seen_on")), name="vog_counts_after_seen"
            )
        ]

    def __str__(self) -> str:
        return f"VOG of participant {self.participant_id} until {self.valid_until}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.seen_on <= day <= self.valid_until
