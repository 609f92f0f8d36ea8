"""Credits expire after the neighbourhood's `credit_expiry_months` without use: a daily job
(per neighbourhood) gives a participant's unused balance back to the neighbourhood's issuing
account, as a transfer of kind `expiry` with the reason as its description. A month before,
the person is told (by mail, through their contact person, or held for the broker).

"Use" is any movement on the account: receiving, giving, redeeming. A warning is recorded
in the audit log (`credit_expiry.warned`), so that it is sent once per quiet spell.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenants.audit.models import AuditEvent
from tenants.audit.services import record_audit_event
from tenants.people.services.messages import notify_participant
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.sites import site_url

from .models import Account, Transfer
from .naming import credit_word, credits_text
from .selectors import accounts_with_balances
from .services import account_for, make_transfer

logger = logging.getLogger(__name__)
WARNED = "credit_expiry.warned"
# A month is counted as 30 days: "after 12 months" is 360 days, close enough for a rule that
# warns a month ahead, and the same length whatever the calendar month.
MONTH = datetime.timedelta(days=30)


def _holding_accounts() -> QuerySet[Account]:
    return (
        accounts_with_balances()
        .filter(kind=Account.Kind.PARTICIPANT, participant__erased_at=None)
        .annotate(last_used=Max("movements__transfer__made_at"))
        .filter(balance__gt=0)
    )


def expire_inactive_credits(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Expire what has not been used for the set number of months and warn those whose
    credits expire within a month. Nothing while credits are off or never expire."""
    neighbourhood = Neighbourhood.objects.get(pk=current_neighbourhood().pk)
    months = neighbourhood.credit_expiry_months
    if not neighbourhood.credits_enabled or not months:
        return {"expired": 0, "warned": 0}
    now = now or timezone.now()
    cutoff = now - MONTH * months
    expired = 0
    for account in list(_holding_accounts().filter(last_used__lt=cutoff)):
        try:
            _expire(account, months)
            expired += 1
        except Exception as error:  # noqa: BLE001 - one failure does not stop the others
            logger.error("Expiring account %s failed: %s", account.pk, type(error).__name__)
    warned = 0
    soon = _holding_accounts().filter(last_used__gte=cutoff, last_used__lt=cutoff + MONTH)
    for account in list(soon):
        if _warned_since(account):
            continue
        _warn(neighbourhood, account, account.last_used + MONTH * months)
        warned += 1
    return {"expired": expired, "warned": warned}


def _expire(account: Account, months: int) -> Transfer:
    issuing = account_for(kind=Account.Kind.NEIGHBOURHOOD_ISSUING)
    return make_transfer(
        kind=Transfer.Kind.EXPIRY,
        postings=[(account, -account.balance), (issuing, account.balance)],
        by=None,
        description=_("Expired: not used for %(months)s months") % {"months": months},
    )


def _warned_since(account: Account) -> bool:
    return AuditEvent.objects.filter(
        Q(at__gt=account.last_used),
        action=WARNED,
        target_type=Account._meta.label_lower,
        target_id=str(account.pk),
    ).exists()


@transaction.atomic
def _warn(neighbourhood: Neighbourhood, account: Account, expires_at: datetime.datetime) -> None:
    participant = account.participant
    assert participant is not None
    language = participant.preferred_language or neighbourhood.default_language
    with translation.override(language):
        body = render_to_string(
            "credits/mail/expiry_warning.txt",
            {
                "neighbourhood": neighbourhood,
                "name": participant.display_name,
                "amount": credits_text(account.balance, neighbourhood=neighbourhood),
                "credit_name": credit_word(neighbourhood=neighbourhood),
                "expires_on": timezone.localtime(expires_at).date(),
                "statement_link": site_url(neighbourhood, "/credits/mine/"),
            },
        )
        subject = _("Your %(credit)s expire soon") % {
            "credit": credit_word(neighbourhood=neighbourhood)
        }
    notify_participant(
        participant=participant, subject=subject, body=body, purpose="credits.expiry_warning"
    )
    record_audit_event(actor=None, action=WARNED, target=account, detail={})
