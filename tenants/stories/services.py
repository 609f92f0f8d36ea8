"""Writes of stories: writing and editing one, each named person's consent, publishing.

The rule: a story is published only while every person it names consents; withdrawing a
consent unpublishes it in the same transaction. Every write is audited (ids only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.mediations.models import Mediation, MediationStatus
from tenants.people.models import Participant
from tenants.people.services.participants import validate_not_erased

from .models import Story, StoryConsent
from .selectors import named_people, people_with_consent


def _check_text(title: str, text: str) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the story a title.")]
    if not text.strip():
        errors["text"] = [_("Write the story.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def write_story(
    *,
    mediation: Mediation,
    title: str,
    text: str,
    photo: File[Any] | None = None,
    photo_description: str = "",
    by: Any,
) -> Story:
    """A new, unpublished story of a mediation that ended in a match."""
    if mediation.status != MediationStatus.MATCH:
        raise ValidationError({"mediation": [_("Choose a mediation that ended in a match.")]})
    _check_text(title, text)
    story = Story(
        mediation=mediation,
        title=title.strip(),
        text=text.strip(),
        photo_description=photo_description.strip(),
        created_by=by,
    )
    if photo is not None:
        story.photo = photo
    story.full_clean(exclude=["photo"])
    story.save()
    record_audit_event(
        actor=by, action="story.written", target=story, detail={"mediation": mediation.pk}
    )
    return story


@transaction.atomic
def update_story(
    *,
    story: Story,
    title: str,
    text: str,
    photo_description: str = "",
    photo: File[Any] | None = None,
    remove_photo: bool = False,
    by: Any,
) -> Story:
    """Change a story's words or photo. A published story stays published: the people named
    agreed to the story, and can withdraw at any time."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    _check_text(title, text)
    story.title, story.text = title.strip(), text.strip()
    story.photo_description = photo_description.strip()
    if photo is not None:
        story.photo = photo
    elif remove_photo:
        story.photo = ""
    story.full_clean(exclude=["photo"])
    story.save()
    record_audit_event(actor=by, action="story.changed", target=story)
    return story


def _named(story: Story, participant: Participant) -> None:
    if participant.pk not in {p.pk for p in named_people(story.mediation)}:
        raise ValidationError({"participant": [_("This story does not name this person.")]})


@transaction.atomic
def give_story_consent(*, story: Story, participant: Participant, by: Any) -> StoryConsent:
    """Record that a person the story names agrees to it being published. A consent that
    still stands is returned unchanged."""
    story = Story.objects.select_for_update().select_related("mediation").get(pk=story.pk)
    _named(story, participant)
    validate_not_erased(participant)
    standing = story.consents.filter(participant=participant, withdrawn_at__isnull=True).first()
    if standing is not None:
        return standing
    consent = StoryConsent.objects.create(
        story=story, participant=participant, given_at=timezone.now(), recorded_by=by
    )
    record_audit_event(
        actor=by,
        action="story.consent_given",
        target=story,
        detail={"participant": participant.pk, "consent": consent.pk},
    )
    return consent


@transaction.atomic
def withdraw_story_consent(*, story: Story, participant: Participant, by: Any) -> Story:
    """Record that a person withdrew their consent; the story is unpublished at once."""
    story = Story.objects.select_for_update().select_related("mediation").get(pk=story.pk)
    _named(story, participant)
    withdrawn = story.consents.filter(participant=participant, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if withdrawn:
        record_audit_event(
            actor=by,
            action="story.consent_withdrawn",
            target=story,
            detail={"participant": participant.pk},
        )
    if story.is_published:
        _unpublish(story, by=by, why="consent_withdrawn")
    return story


@transaction.atomic
def publish_story(*, story: Story, by: Any) -> Story:
    """Publish the story: only when every person it names has consented."""
    story = Story.objects.select_for_update().select_related("mediation").get(pk=story.pk)
    missing = [
        named.participant.display_name
        for named in people_with_consent(story)
        if named.consent is None
    ]
    if missing:
        raise ValidationError(
            {
                "__all__": [
                    _("Not everyone this story names has given consent yet: %(names)s.")
                    % {"names": ", ".join(missing)}
                ]
            }
        )
    if not story.is_published:
        story.published_at = timezone.now()
        story.save(update_fields=["published_at", "updated_at"])
        record_audit_event(actor=by, action="story.published", target=story)
    return story


def _unpublish(story: Story, *, by: Any, why: str) -> None:
    story.published_at = None
    story.save(update_fields=["published_at", "updated_at"])
    record_audit_event(actor=by, action="story.unpublished", target=story, detail={"why": why})


@transaction.atomic
def unpublish_story(*, story: Story, by: Any) -> Story:
    """Take the story off the site (it stays, with its consents, to publish again)."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.is_published:
        _unpublish(story, by=by, why="by_broker")
    return story
