"""Success stories: a short story of a mediation that ended in a match, and the consent of each
person it names. A story is public only while every one of them consents."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tenants.mediations.models import Mediation
from tenants.people.models import Participant
from tijdvoorelkaar.user_keys import user_reference


class Story(models.Model):
    # No indexes beyond the key: tens of stories, scanned (also their consents').
    mediation = models.ForeignKey(
        Mediation,
        verbose_name=_("match"),
        on_delete=models.PROTECT,
        related_name="stories",
        db_index=False,
    )
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("story"), max_length=3000)
    photo = models.ImageField(_("photo"), upload_to="stories/%Y/%m/", blank=True)
    photo_description = models.CharField(_("what the photo shows"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return f"story {self.pk}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class StoryConsent(models.Model):
    """A named person's consent to this story, like a participant's other consents: who
    recorded it and when; withdrawing keeps the row and sets `withdrawn_at`."""

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="consents", db_index=False
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    given_at = models.DateTimeField(_("given at"))
    recorded_by = user_reference()
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["given_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "participant"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_standing_story_consent",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                name="story_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"consent of participant {self.participant_id} to story {self.story_id}"
