"""Subscribers, the neighbourhood's mailing settings and the newsletter issues."""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.outbox.models import OutboxBatch
from tenants.people.models import Participant
from tijdvoorelkaar.user_keys import user_reference


def new_nonce() -> str:
    return secrets.token_hex(8)


class MailingSettings(models.Model):
    """One row per neighbourhood (pk 1): how its newsletter goes out."""

    sender_name = models.CharField(
        _("sender name"),
        max_length=80,
        blank=True,
        help_text=_("The name people see as the sender. Empty: the neighbourhood's name."),
    )
    bounce_address = models.EmailField(
        _("bounce address"),
        blank=True,
        help_text=_(
            "Where mail servers send undeliverable mail (the envelope sender). "
            "Empty: the platform's sender address."
        ),
    )
    send_day = models.PositiveSmallIntegerField(
        _("send on day of the month"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("A scheduled newsletter goes out on this day; next month's draft is ready."),
    )
    per_second = models.PositiveIntegerField(
        _("messages per second at most"),
        default=100,
        validators=[MaxValueValidator(5000)],
        help_text=_("What your mail provider allows. 0: no limit."),
    )

    class Meta:
        verbose_name = _("mailing settings")

    def __str__(self) -> str:
        return "mailing settings"


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    ACTIVE = "active", _("subscribed")
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
    UNDELIVERABLE = "undeliverable", _("undeliverable")


class SubscriberSource(models.TextChoices):
    WEB = "web", _("subscribed on the website")
    REGISTRATION = "registration", _("chose it at registration")
    PAPER = "paper", _("agreed on paper (recorded by staff)")


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=5, default="nl")
    status = models.CharField(
        max_length=15, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    source = models.CharField(max_length=15, choices=SubscriberSource.choices)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Part of the signed links (confirm, unsubscribe); a new one makes every old link void.
    nonce = models.CharField(max_length=16, default=new_nonce)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # A short reason written by the code ("bounce report 5.1.1", "complaint (abuse)"): kept
    # short enough that the table's widest row needs no TOAST table (one relation less).
    undeliverable_reason = models.CharField(max_length=150, blank=True)
    recorded_by = user_reference()

    class Meta:
        ordering = ["email"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"subscriber #{self.pk} ({self.status})"


class NewsletterStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")


class Newsletter(models.Model):
    """One issue, as the broker edits it: subject, introduction, contact and the sections'
    titles in the language it is written in (`language`, the neighbourhood's first).

    `sections` is a list of {"heading": {"msgid", "params"}, "title", "items": [{"title",
    "text", "url", "image_url"}], "only_if"?}, assembled from the apps' `newsletter_sections`
    and edited by the broker. `heading` is the platform's heading as its source, so that
    `rendering.issue_in` can write it in each reader's language; a title the broker changed
    goes out as she wrote it. Sections stored before `heading` existed have none."""

    number = models.PositiveIntegerField(unique=True)  # the stable URL: /newsletter/<number>/
    issue_month = models.DateField(_("month"))
    subject = models.CharField(_("subject"), max_length=150)
    intro = models.TextField(_("introduction"), max_length=3000, blank=True)
    sections = models.JSONField(default=list, blank=True)
    contact = models.TextField(_("contact"), max_length=500, blank=True)
    language = models.CharField(max_length=5, default="nl")  # the language it is written in
    since = models.DateTimeField()  # what is new since then went in
    status = models.CharField(
        max_length=10, choices=NewsletterStatus.choices, default=NewsletterStatus.DRAFT
    )
    scheduled_for = models.DateTimeField(_("send at"), null=True, blank=True)
    batch = models.OneToOneField(
        OutboxBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"newsletter {self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in {NewsletterStatus.DRAFT, NewsletterStatus.SCHEDULED}
