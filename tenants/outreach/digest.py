"""The digest of new ads: each resident's choice (never, weekly, monthly; sub-areas and
categories) and the job that mails each of them the new matching ads since their last one.

Sending is one transaction per neighbourhood and run: the mails are queued in the outbox and
each person's `last_sent_at` moves in the same commit, so a retried job sends nothing twice.
Queries: a fixed number per run, plus one insert per mail (the new ads are read once and
matched in memory: a month has hundreds of ads, not millions)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.market.models import Ad, AdKind, Category
from tenants.market.selectors import public_ads
from tenants.outbox.services import neighbourhood_bounce_address, queue_mail
from tenants.people.models import Participant, SubArea
from tijdvoorelkaar.contributions import hooks
from tijdvoorelkaar.printing.document import theme_for
from tijdvoorelkaar.sites import site_url

from .models import MAX_CHOSEN, DigestPreference, Frequency

PERIOD = {
    Frequency.WEEKLY: datetime.timedelta(days=7),
    Frequency.MONTHLY: datetime.timedelta(days=31),
}
MAX_ADS = 30  # a longer mail is not read; the link shows the rest
UNSUBSCRIBE_SALT = "outreach.digest.unsubscribe"
Existing = tuple[set[int], set[int]]  # the ids of the sub-areas and categories there are


def preference_of(participant: Participant) -> DigestPreference:
    """The participant's preference (an unsaved "never" one when they never chose)."""
    found = DigestPreference.objects.filter(participant=participant).first()
    return found or DigestPreference(participant=participant)


def existing_choices() -> Existing:
    """The ids of every sub-area and category there is. A preference holds its choices as
    ids without a foreign key: one whose sub-area or category is gone is ignored when matched
    against these, as if it had been removed with it (as the join rows' cascade did)."""
    return (
        set(SubArea.objects.values_list("pk", flat=True)),
        set(Category.objects.values_list("pk", flat=True)),
    )


@transaction.atomic
def set_digest_preference(
    *,
    participant: Participant,
    frequency: str,
    sub_areas: Iterable[SubArea] = (),
    categories: Iterable[Category] = (),
    by: Any,
) -> DigestPreference:
    """Set how often the participant gets the digest and about what. A digest needs an
    e-mail address; `by` is the participant's own user (or None) or the broker."""
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": [_("Choose never, weekly or monthly.")]})
    if frequency != Frequency.NEVER and not participant.email:
        raise ValidationError(
            {"frequency": [_("A digest is sent by e-mail: add an e-mail address first.")]}
        )
    if participant.erased_at is not None:
        raise ValidationError(_("This participant's data has been erased."))
    area_ids = sorted({area.pk for area in sub_areas})
    category_ids = sorted({category.pk for category in categories})
    for field, ids in (("sub_areas", area_ids), ("categories", category_ids)):
        if len(ids) > MAX_CHOSEN:
            message = _("Choose at most %(count)s.") % {"count": MAX_CHOSEN}
            raise ValidationError({field: [message]})
    preference, _created = DigestPreference.objects.select_for_update().get_or_create(
        participant=participant
    )
    preference.frequency = frequency
    preference.sub_area_ids, preference.category_ids = area_ids, category_ids
    preference.save(update_fields=["frequency", "sub_area_ids", "category_ids", "updated_at"])
    record_audit_event(
        actor=by if getattr(by, "is_authenticated", False) else None,
        action="digest.preference_changed",
        target=participant,
        detail={"frequency": frequency},
    )
    return preference


# The unsubscribe link ------------------------------------------------------------------


def unsubscribe_token(participant: Participant) -> str:
    """A signed token naming the participant in this neighbourhood (no expiry: an old mail's
    link still stops the digest, and does nothing else)."""
    return signing.dumps(
        {"p": participant.pk, "s": connection.schema_name}, salt=UNSUBSCRIBE_SALT, compress=True
    )


def participant_for_token(token: str) -> Participant | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != connection.schema_name:
        return None
    return Participant.objects.filter(pk=data.get("p"), erased_at__isnull=True).first()


def stop_digests_to(*, emails: list[str], reason: str) -> int:
    """These addresses hard-bounced or complained (the `undeliverable` hook, read by
    mailings): the digest of everyone with one of them stops. Returns how many stopped."""
    stopping = (
        DigestPreference.objects.annotate(address=Lower("participant__email"))
        .filter(address__in=[address.lower() for address in emails])
        .exclude(frequency=Frequency.NEVER)
    )
    participants = list(stopping.values_list("participant_id", flat=True))
    DigestPreference.objects.filter(participant__in=participants).update(
        frequency=Frequency.NEVER, updated_at=timezone.now()
    )
    if participants:
        record_audit_event(
            actor=None,
            action="digest.undeliverable",
            detail={"participants": participants[:200], "reason": reason[:80]},
        )
    return len(participants)


@transaction.atomic
def stop_digest(*, participant: Participant) -> bool:
    """Set the digest to never (by the one-click link); True when it was on."""
    changed = (
        DigestPreference.objects.filter(participant=participant)
        .exclude(frequency=Frequency.NEVER)
        .update(frequency=Frequency.NEVER, updated_at=timezone.now())
    )
    if changed:
        record_audit_event(
            actor=None,
            action="digest.unsubscribed",
            target=participant,
            detail={"link": True},
        )
    return bool(changed)


# Sending ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestMail:
    subject: str
    text: str
    html: str
    unsubscribe_url: str


def _choice(preference: DigestPreference, existing: Existing) -> Existing:
    """The preference's sub-areas and categories that still exist (none: all)."""
    return (
        existing[0].intersection(preference.sub_area_ids),
        existing[1].intersection(preference.category_ids),
    )


def _matches(
    ad: Ad, preference: DigestPreference, since: datetime.datetime, choice: Existing
) -> bool:
    if ad.published_at is None or ad.published_at <= since:
        return False
    if ad.participant_id == preference.participant_id:
        return False
    areas, categories = choice
    return (not areas or ad.sub_area_id in areas) and (
        not categories or ad.category_id in categories
    )


def compose(
    participant: Participant,
    ads: list[Ad],
    frequency: str,
    site: str,
    colours: dict[str, str] | None = None,
) -> DigestMail:
    """The mail for one person, in their language: plain text and HTML (in the
    neighbourhood's `colours`), and its one-click stop link. `site` is the neighbourhood's
    address (`site_url`); both are looked up once per run."""
    neighbourhood = connection.tenant
    language = participant.preferred_language or "nl"
    stop_url = site + reverse("outreach:digest-stop", args=[unsubscribe_token(participant)])
    with translation.override(language):
        context = {
            "neighbourhood": neighbourhood,
            "participant": participant,
            "language": language,
            "colours": colours or _colours(),
            "ads": [(ad, site + reverse("market:detail", args=[ad.pk])) for ad in ads],
            "weekly": frequency == Frequency.WEEKLY,
            "all_url": site + reverse("market:list"),
            "unsubscribe_url": stop_url,
        }
        subject = _("New requests and offers in %(name)s") % {"name": neighbourhood.name}
        return DigestMail(
            subject=subject,
            text=render_to_string("outreach/digest_mail.txt", context),
            html=render_to_string("outreach/digest_mail.html", context),
            unsubscribe_url=stop_url,
        )


def _colours() -> dict[str, str]:
    # the theme's own primary/on_primary pair (made to contrast), not the accent colour
    theme, _accent = theme_for(connection.tenant)
    return dict(theme.colours)


def sender_name() -> str:
    """The name the neighbourhood's mail goes out under: the mailing settings' sender name
    (mailings sits in this app's layer, so it is read through its `mail_sender` hook), or
    else the neighbourhood's name."""
    for hook in hooks("mail_sender"):
        if name := " ".join(str(hook()).split()):
            return name
    return str(connection.tenant.name)


def _new_ads(since: datetime.datetime) -> list[Ad]:
    return list(
        public_ads()
        .filter(kind__in=[AdKind.REQUEST, AdKind.OFFER], published_at__gt=since)
        .order_by("-published_at", "-id")
    )


@transaction.atomic
def send_digests(*, frequency: str, now: datetime.datetime | None = None) -> int:
    """Mail each person whose digest is `frequency` the new ads matching their choice since
    their last digest (or one period back); nobody gets a mail without anything new.
    Returns how many mails were queued."""
    now = now or timezone.now()
    period = PERIOD[Frequency(frequency)]
    preferences = list(
        DigestPreference.objects.select_for_update(of=("self",))
        .filter(
            frequency=frequency,
            participant__erased_at__isnull=True,
            participant__email__gt="",
        )
        .select_related("participant")
    )
    if not preferences:
        return 0
    since_of = {p.pk: max(p.last_sent_at or now - period, now - period) for p in preferences}
    ads = _new_ads(min(since_of.values()))
    existing = existing_choices()
    sent = []
    site = site_url(connection.tenant, "")
    colours, sender, bounces = _colours(), sender_name(), neighbourhood_bounce_address()
    for preference in preferences:
        since, choice = since_of[preference.pk], _choice(preference, existing)
        matching = [ad for ad in ads if _matches(ad, preference, since, choice)]
        if not matching:
            continue
        mail = compose(preference.participant, matching[:MAX_ADS], frequency, site, colours)
        queue_mail(
            to=preference.participant.email,
            subject=mail.subject,
            body=mail.text,
            html=mail.html,
            from_name=sender,
            headers={  # one-click unsubscribe (RFC 8058): a POST to the stop link
                "List-Unsubscribe": f"<{mail.unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            purpose="digest",
            bounce_address=bounces,
        )
        preference.last_sent_at = now
        sent.append(preference)
    DigestPreference.objects.bulk_update(sent, ["last_sent_at"])
    return len(sent)
