"""The broker's moderation: approving an ad that waits, rejecting one, deciding on a report."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event

from ..cache import bump_list_version
from ..models import Ad, AdStatus, Report
from .ads import OPEN_STATUSES, lifetime
from .mail import notify_owner


@transaction.atomic
def approve_ad(*, ad: Ad, by: Any) -> Ad:
    """The broker publishes an ad that waited for approval, and its owner hears so."""
    ad = Ad.objects.select_for_update().select_related("participant").get(pk=ad.pk)
    if ad.status != AdStatus.AWAITING_APPROVAL:
        raise ValidationError(_("This ad is not waiting for approval."))
    now = timezone.now()
    ad.status = AdStatus.PUBLISHED
    ad.published_at = now
    ad.expires_at = now + lifetime()
    ad.save(update_fields=["status", "published_at", "expires_at", "updated_at"])
    record_audit_event(actor=by, action="ad.approved", target=ad)
    notify_owner(ad=ad, template="ad_online", purpose="market.ad_online")
    bump_list_version(ends=True)  # it may have gone live
    return ad


@transaction.atomic
def reject_ad(*, ad: Ad, by: Any, reason: str = "") -> Ad:
    """The broker refuses an ad (waiting for approval, or published and reported); its owner
    hears so, with the reason when the broker gave one."""
    ad = Ad.objects.select_for_update().select_related("participant").get(pk=ad.pk)
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
    notify_owner(ad=ad, template="ad_rejected", purpose="market.ad_rejected")
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
