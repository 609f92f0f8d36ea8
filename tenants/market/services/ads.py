"""The life of an ad: placed, confirmed by its owner's link (or placed by the broker), held for
approval when the neighbourhood moderates first, published, renewed, closed or expired.

Beside it: placing through the site (`placing.py`), the broker's moderation (`moderation.py`),
sign-in links and renewal reminders (`links.py`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.people.models import Participant
from tijdvoorelkaar.neighbourhoods.models import Moderation
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from ..cache import bump_list_version
from ..models import Ad, AdKind, AdStatus, Category
from ..suggestions import suggested_category, title_from

EDITABLE_FIELDS = ("title", "body", "category", "sub_area", "when", "photo")
OPEN_STATUSES = (AdStatus.UNCONFIRMED, AdStatus.AWAITING_APPROVAL, AdStatus.PUBLISHED)


def ad_search_vector() -> Any:
    """Dutch and English stems of the title (weight A) and the text (weight B)."""
    return (
        SearchVector("title", config="dutch", weight="A")
        + SearchVector("title", config="english", weight="A")
        + SearchVector("body", config="dutch", weight="B")
        + SearchVector("body", config="english", weight="B")
    )


def refresh_search_vector(ad: Ad) -> None:
    Ad.objects.filter(pk=ad.pk).update(search_vector=ad_search_vector())


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(weeks=current_neighbourhood().ad_lifetime_weeks)


def _check(ad: Ad) -> None:
    errors: dict[str, list[str]] = {}
    try:
        ad.full_clean(exclude=["participant", "search_vector"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if not ad.title.strip():
        errors.setdefault("title", []).append(_("Give your ad a title."))
    if not ad.body.strip():
        errors.setdefault("body", []).append(_("Say in a few words what it is about."))
    if ad.category_id and not Category.objects.filter(pk=ad.category_id, is_active=True).exists():
        errors.setdefault("category", []).append(_("Choose a category from the list."))
    if ad.kind == AdKind.VACANCY and ad.organisation is None:
        errors.setdefault("kind", []).append(_("Only organisations post volunteer vacancies."))
    # Any ad in an organisation's name (its name shows on the ad), not only a vacancy; someone
    # new (not yet saved) is no member of anything.
    if (
        ad.organisation is not None
        and ad.placed_by_broker is None
        and not (
            ad.participant.pk and ad.organisation.members.filter(pk=ad.participant.pk).exists()
        )
    ):
        field = "kind" if ad.kind == AdKind.VACANCY else "organisation"
        errors.setdefault(field, []).append(_("You do not post for this organisation."))
    if errors:
        raise ValidationError(errors)


def _publish_or_hold(ad: Ad, now: datetime.datetime) -> None:
    """After confirmation: publish, or hold for the broker in a neighbourhood that moderates
    first, or when the owner left only a phone number (nobody confirmed an address)."""
    needs_approval = current_neighbourhood().moderation == Moderation.BEFORE or (
        not ad.participant.email and ad.placed_by_broker is None
    )
    if needs_approval and ad.placed_by_broker is None:
        ad.status = AdStatus.AWAITING_APPROVAL
    else:
        ad.status = AdStatus.PUBLISHED
        ad.published_at = now
        ad.expires_at = now + lifetime()


@transaction.atomic
def place_ad(
    *,
    participant: Participant,
    kind: str,
    body: str,
    title: str = "",
    category: Category | None = None,
    sub_area: Any = None,
    when: str = "",
    photo: Any = None,
    organisation: Any = None,
    placed_by_broker: Any = None,
) -> Ad:
    """Store a new ad for `participant` (saved here if new). A broker's ad is published at
    once; a resident's waits for the confirmation link (`confirm_ad`), or, with only a phone
    number, for the broker's approval. Without a title, the text's start is the title;
    without a category, one is suggested from the text (`suggestions`)."""
    ad = Ad(
        participant=participant,
        kind=kind,
        title=title.strip() or title_from(body),
        body=body.strip(),
        category=category or suggested_category(text=body, participant=participant),
        sub_area=sub_area,
        when=when.strip(),
        organisation=organisation,
        placed_by_broker=placed_by_broker,
    )
    if photo:
        ad.photo = photo
    _check(ad)
    if participant.pk is None:
        participant.full_clean()
        participant.save()
        ad.participant = participant
    now = timezone.now()
    if placed_by_broker is not None or not participant.email:
        ad.confirmed_at = now if placed_by_broker is not None else None
        _publish_or_hold(ad, now)
    ad.save()
    refresh_search_vector(ad)
    if placed_by_broker is not None:
        record_audit_event(actor=placed_by_broker, action="ad.placed_for", target=ad)
    bump_list_version(ends=True)  # it may have gone live
    return ad


@transaction.atomic
def confirm_ad(*, ad: Ad) -> Ad:
    """The owner followed the confirmation link: publish (or hold for approval). Confirming
    again changes nothing."""
    ad = Ad.objects.select_for_update().select_related("participant").get(pk=ad.pk)
    if ad.status != AdStatus.UNCONFIRMED:
        return ad
    now = timezone.now()
    ad.confirmed_at = now
    _publish_or_hold(ad, now)
    ad.save(update_fields=["status", "confirmed_at", "published_at", "expires_at", "updated_at"])
    bump_list_version(ends=True)  # it may have gone live
    return ad


@transaction.atomic
def update_ad(*, ad: Ad, by: Any = None, **changes: Any) -> Ad:
    """Change what an open ad says. `by` is the broker when they edit on someone's behalf."""
    if ad.status not in OPEN_STATUSES:
        raise ValidationError(_("This ad is closed; place a new one instead."))
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} cannot be changed")
        setattr(ad, name, value.strip() if isinstance(value, str) else value)
    _check(ad)
    ad.save()
    refresh_search_vector(ad)
    if by is not None:
        record_audit_event(actor=by, action="ad.edited_for", target=ad)
    bump_list_version()
    return ad


@transaction.atomic
def renew_ad(*, ad: Ad, by: Any = None) -> Ad:
    """Run a published (or just expired) ad for another lifetime, counted from now."""
    if ad.status not in (AdStatus.PUBLISHED, AdStatus.EXPIRED):
        raise ValidationError(_("Only a published or expired ad can be renewed."))
    if ad.participant.erased_at is not None:  # its texts were blanked with the person's data
        raise ValidationError(_("The person who placed this ad asked to be erased."))
    now = timezone.now()
    ad.status = AdStatus.PUBLISHED
    ad.published_at = ad.published_at or now
    ad.expires_at = now + lifetime()
    ad.renewal_reminded_at = None
    ad.save(
        update_fields=["status", "published_at", "expires_at", "renewal_reminded_at", "updated_at"]
    )
    if by is not None:
        record_audit_event(actor=by, action="ad.renewed_for", target=ad)
    bump_list_version(ends=True)  # it may have gone live
    return ad


@transaction.atomic
def close_ad(*, ad: Ad, by: Any = None) -> Ad:
    """The owner (or the broker for them) takes the ad off the site."""
    if ad.status in (AdStatus.CLOSED, AdStatus.REJECTED):
        return ad
    ad.status = AdStatus.CLOSED
    ad.closed_at = timezone.now()
    ad.save(update_fields=["status", "closed_at", "updated_at"])
    if by is not None:
        record_audit_event(actor=by, action="ad.closed_for", target=ad)
    bump_list_version()
    return ad


def expire_ads(*, now: datetime.datetime | None = None) -> int:
    """Mark published ads past their end as expired; returns how many."""
    now = now or timezone.now()
    expired = Ad.objects.filter(status=AdStatus.PUBLISHED, expires_at__lte=now).update(
        status=AdStatus.EXPIRED, updated_at=now
    )
    if expired:
        bump_list_version()
    return expired
