"""The life of an ad: placed, confirmed by its owner's link (or placed by the broker), held for
approval when the neighbourhood moderates first, published, renewed, closed or expired."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.outbox.services import queue_mail
from tenants.people.models import Participant, ParticipantLink
from tenants.people.services.links import issue_link, redeem_link
from tenants.people.services.messages import notify_participant
from tenants.people.services.participants import normalise_email
from tijdvoorelkaar.neighbourhoods.models import Moderation
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood, site_url

from ..cache import bump_list_version
from ..models import Ad, AdKind, AdStatus, Category, ReciprocityPrompt, Report

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


def _lifetime() -> datetime.timedelta:
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
        ad.expires_at = now + _lifetime()


@transaction.atomic
def place_ad(
    *,
    participant: Participant,
    kind: str,
    title: str,
    body: str,
    category: Category,
    sub_area: Any = None,
    when: str = "",
    photo: Any = None,
    organisation: Any = None,
    placed_by_broker: Any = None,
) -> Ad:
    """Store a new ad for `participant` (saved here if new). A broker's ad is published at
    once; a resident's waits for the confirmation link (`confirm_ad`), or, with only a phone
    number, for the broker's approval."""
    ad = Ad(
        participant=participant,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        category=category,
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
    bump_list_version()
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
    bump_list_version()
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
    ad.expires_at = now + _lifetime()
    ad.renewal_reminded_at = None
    ad.save(
        update_fields=["status", "published_at", "expires_at", "renewal_reminded_at", "updated_at"]
    )
    if by is not None:
        record_audit_event(actor=by, action="ad.renewed_for", target=ad)
    bump_list_version()
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


@transaction.atomic
def approve_ad(*, ad: Ad, by: Any) -> Ad:
    """The broker publishes an ad that waited for approval."""
    ad = Ad.objects.select_for_update().get(pk=ad.pk)
    if ad.status != AdStatus.AWAITING_APPROVAL:
        raise ValidationError(_("This ad is not waiting for approval."))
    now = timezone.now()
    ad.status = AdStatus.PUBLISHED
    ad.published_at = now
    ad.expires_at = now + _lifetime()
    ad.save(update_fields=["status", "published_at", "expires_at", "updated_at"])
    record_audit_event(actor=by, action="ad.approved", target=ad)
    bump_list_version()
    return ad


@transaction.atomic
def reject_ad(*, ad: Ad, by: Any, reason: str = "") -> Ad:
    """The broker refuses an ad (waiting for approval, or published and reported)."""
    ad = Ad.objects.select_for_update().get(pk=ad.pk)
    if ad.status not in OPEN_STATUSES:
        raise ValidationError(_("This ad is already off the site."))
    reason = reason.strip()
    if len(reason) > Ad._meta.get_field("rejection_reason").max_length:
        raise ValidationError({"reason": _("Keep the reason short (300 characters at most).")})
    ad.status = AdStatus.REJECTED
    ad.closed_at = timezone.now()
    ad.rejection_reason = reason
    ad.save(update_fields=["status", "closed_at", "rejection_reason", "updated_at"])
    record_audit_event(
        actor=by, action="ad.rejected", target=ad, detail={"with_reason": bool(reason)}
    )
    bump_list_version()
    return ad


@transaction.atomic
def handle_report(*, report: Report, outcome: str, by: Any) -> Report:
    """The broker decides on a report: keep the ad, or remove it (which settles every open
    report on that ad)."""
    outcome = Report.Outcome(outcome)
    now = timezone.now()
    if outcome == Report.Outcome.REMOVED:
        if report.ad.status in OPEN_STATUSES:
            reject_ad(ad=report.ad, by=by)
        Report.objects.filter(ad=report.ad, handled_at__isnull=True).update(
            handled_at=now, handled_by=by, outcome=outcome
        )
    else:
        Report.objects.filter(pk=report.pk).update(handled_at=now, handled_by=by, outcome=outcome)
    record_audit_event(
        actor=by, action="report.handled", target=report, detail={"outcome": outcome.value}
    )
    report.refresh_from_db()
    return report


def expire_ads(*, now: datetime.datetime | None = None) -> int:
    """Mark published ads past their end as expired; returns how many."""
    now = now or timezone.now()
    expired = Ad.objects.filter(status=AdStatus.PUBLISHED, expires_at__lte=now).update(
        status=AdStatus.EXPIRED, updated_at=now
    )
    if expired:
        bump_list_version()
    return expired


# --- Placing through the site: confirmation mail, links, reciprocity, reminders ---------------

RENEWAL_NOTICE = datetime.timedelta(days=7)
OPPOSITE_KIND = {AdKind.OFFER: AdKind.REQUEST, AdKind.REQUEST: AdKind.OFFER}


def _mail(*, to: str, participant: Participant, template: str, context: dict[str, Any]) -> str:
    """Render a mail body and subject in the participant's language; returns the subject."""
    with translation.override(participant.preferred_language or None):
        context = {"neighbourhood": current_neighbourhood(), "participant": participant, **context}
        body = render_to_string(f"market/mail/{template}.txt", context)
        subject = render_to_string(f"market/mail/{template}_subject.txt", context).strip()
    queue_mail(to=to, subject=subject, body=body, purpose=f"market.{template}")
    return subject


def _mail_confirmation(ad: Ad) -> None:
    token = issue_link(
        participant=ad.participant, purpose=ParticipantLink.Purpose.CONFIRM_AD, subject_id=ad.pk
    )
    link = site_url(current_neighbourhood(), f"/ads/confirm/{token}/")
    _mail(
        to=ad.participant.email,
        participant=ad.participant,
        template="confirm_ad",
        context={"ad": ad, "link": link},
    )


@transaction.atomic
def submit_ad(
    *,
    participant: Participant,
    signed_in: bool = False,
    prompt: ReciprocityPrompt | None = None,
    **fields: Any,
) -> Ad:
    """A resident places an ad on the site. A visitor gets a confirmation link by mail (or,
    with only a phone number, waits for the broker); a participant signed in by an earlier link
    has proven their address, so their ad is confirmed at once. `prompt` is the reciprocity
    question the ad answers."""
    ad = place_ad(participant=participant, **fields)
    if ad.status == AdStatus.UNCONFIRMED:
        if signed_in and participant.email_confirmed_at is not None:
            ad = confirm_ad(ad=ad)
        else:
            _mail_confirmation(ad)
    if prompt is not None:
        take_reciprocity_prompt(prompt=prompt, ad=ad)
    return ad


@transaction.atomic
def confirm_ad_by_link(*, token: str) -> Ad:
    """Redeem a confirmation link: the ad goes live (or waits for approval). Raises
    LinkProblem when the link is unknown, expired or used."""
    link = redeem_link(token=token, purpose=ParticipantLink.Purpose.CONFIRM_AD)
    ad = Ad.objects.select_related("participant").get(
        pk=link.subject_id, participant=link.participant
    )
    return confirm_ad(ad=ad)


def sign_in_by_link(*, token: str) -> ParticipantLink:
    """Redeem a sign-in link (LinkProblem when it cannot be used)."""
    return redeem_link(token=token, purpose=ParticipantLink.Purpose.SIGN_IN)


def _sign_in_link(participant: Participant, *, ad: Ad | None = None) -> str:
    token = issue_link(
        participant=participant,
        purpose=ParticipantLink.Purpose.SIGN_IN,
        subject_id=ad.pk if ad is not None else None,
    )
    link = site_url(current_neighbourhood(), f"/ads/sign-in/{token}/")
    return link


@transaction.atomic
def send_sign_in_link(*, email: str) -> None:
    """Mail a sign-in link to whoever has this address, and tell nobody whether anyone has:
    the caller answers the same either way. Ads still waiting for their confirmation get a
    fresh confirmation link instead, so that an expired one can be replaced here too."""
    email = normalise_email(email)
    if not email:
        return
    for participant in Participant.objects.filter(email=email, erased_at__isnull=True)[:3]:
        waiting = list(Ad.objects.filter(participant=participant, status=AdStatus.UNCONFIRMED)[:5])
        for ad in waiting:
            _mail_confirmation(ad)
        if not waiting:
            link = _sign_in_link(participant)
            _mail(
                to=participant.email,
                participant=participant,
                template="sign_in",
                context={"link": link},
            )


@transaction.atomic
def record_reciprocity_prompt(*, source_ad: Ad) -> ReciprocityPrompt | None:
    """ "And do you also have a request?" is about to be shown after `source_ad`: record it
    once (a reload shows the same prompt). None for a vacancy or an ad the prompt was taken for."""
    if source_ad.kind not in OPPOSITE_KIND:
        return None
    prompt = ReciprocityPrompt.objects.filter(source_ad=source_ad).first()
    return prompt or ReciprocityPrompt.objects.create(source_ad=source_ad)


@transaction.atomic
def take_reciprocity_prompt(*, prompt: ReciprocityPrompt, ad: Ad) -> ReciprocityPrompt:
    """Record that `ad` was placed from `prompt` (first ad wins)."""
    prompt = ReciprocityPrompt.objects.select_for_update().get(pk=prompt.pk)
    if prompt.taken_ad_id is None:
        prompt.taken_ad = ad
        prompt.taken_at = timezone.now()
        prompt.save(update_fields=["taken_ad", "taken_at"])
    return prompt


def send_renewal_reminders(*, now: datetime.datetime | None = None) -> int:
    """A week before an ad ends, tell its owner how to renew it (once per lifetime). Owners
    without e-mail get it through their contact person or the broker (notify_participant)."""
    now = now or timezone.now()
    due = (
        Ad.objects.filter(
            status=AdStatus.PUBLISHED,
            expires_at__gt=now,
            expires_at__lte=now + RENEWAL_NOTICE,
            renewal_reminded_at__isnull=True,
        )
        .select_related("participant")
        .order_by("expires_at")[:500]
    )
    sent = 0
    for ad in due:
        with transaction.atomic():
            claimed = Ad.objects.filter(pk=ad.pk, renewal_reminded_at__isnull=True).update(
                renewal_reminded_at=now
            )
            if not claimed:
                continue
            participant = ad.participant
            link = _sign_in_link(participant, ad=ad) if participant.email else ""
            with translation.override(participant.preferred_language or None):
                context = {
                    "neighbourhood": current_neighbourhood(),
                    "ad": ad,
                    "link": link,
                    "participant": participant,
                }
                body = render_to_string("market/mail/renewal_reminder.txt", context)
                subject = render_to_string(
                    "market/mail/renewal_reminder_subject.txt", context
                ).strip()
            notify_participant(
                participant=participant, subject=subject, body=body, purpose="market.renewal"
            )
            sent += 1
    return sent
