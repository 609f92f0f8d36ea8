"""Reporting an ad as inappropriate: the report waits in the broker's moderation queue."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.market.models import Ad, Report
from tenants.market.services.ads import OPEN_STATUSES

EXPLANATION_MAX_LENGTH = 1000


@transaction.atomic
def report_ad(*, ad: Ad, reason: str, explanation: str = "") -> Report:
    """Store a report on an ad that is still on the site (or waiting to be). Anyone may
    report; the broker decides (`market.services.moderation.handle_report`)."""
    errors: dict[str, list[str]] = {}
    if reason not in Report.Reason.values:
        errors["reason"] = [_("Choose a reason from the list.")]
    explanation = explanation.strip()
    if len(explanation) > EXPLANATION_MAX_LENGTH:
        errors["explanation"] = [
            _("Keep your explanation under %(max)d characters.") % {"max": EXPLANATION_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    if ad.status not in OPEN_STATUSES:
        raise ValidationError(_("This ad is no longer on the site."))
    report = Report.objects.create(ad=ad, reason=reason, explanation=explanation)
    record_audit_event(
        actor=None, action="report.created", target=report, detail={"reason": reason}
    )
    return report
