"""The participants' survey. An answer (`SurveyAnswer`) holds no key to anyone: it is what the
figures count. An invitation (`SurveyInvitation`) says only that a participant was asked and has
answered, so nobody answers twice; erasing the participant removes it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.people.models import Participant


class Occasion(models.TextChoices):
    AFTER_MATCH = "after_match", _("After a match")
    ANNUAL = "annual", _("Once a year")


class Channel(models.TextChoices):
    LINK = "link", _("Answered through the link")
    PAPER = "paper", _("Entered from a paper form")


class Neighbours(models.IntegerChoices):
    NONE = 0, _("None")
    ONE = 1, _("One")
    TWO_OR_MORE = 2, _("Two or more")


class SurveyAnswer(models.Model):
    """One person's answers, apart from who they are. `None` is a question left open."""

    answered_on = models.DateField(_("answered on"))  # only the figures ask: hundreds a year
    occasion = models.CharField(max_length=12, choices=Occasion.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    satisfied_exchange = models.BooleanField(_("satisfied with the exchange"), null=True)
    satisfied_broker = models.BooleanField(_("satisfied with the broker"), null=True)
    neighbours = models.PositiveSmallIntegerField(
        _("neighbours got to know"), choices=Neighbours.choices, null=True
    )
    lasting_contact = models.BooleanField(_("lasting contact"), null=True)
    # Bounded in the column (varchar), so the widest row fits a page: no TOAST table (ADR 0013).
    remark = models.CharField(_("anything to add"), max_length=2000, blank=True)

    def __str__(self) -> str:
        return f"survey answer of {self.answered_on}"


class SurveyInvitation(models.Model):
    """A participant was asked (`round` names the match or the year) and whether they answered.
    No date of answering and no key to the answer: the two cannot be joined."""

    participant = models.ForeignKey(  # no index of its own: one_invitation_a_round leads with it
        Participant, on_delete=models.CASCADE, related_name="survey_invitations", db_index=False
    )
    occasion = models.CharField(max_length=12, choices=Occasion.choices)
    # "match:<mediation id>" or "year:<year>": one invitation per participant per round.
    round = models.CharField(max_length=30)
    sent_on = models.DateField()
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "round"], name="one_invitation_a_round")
        ]  # the daily reminder scans the open ones: hundreds of invitations a year

    def __str__(self) -> str:
        return f"survey invitation {self.round} for participant {self.participant_id}"
