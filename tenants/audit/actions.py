"""Audit action codes: which ones count as a *sensitive read*.

An action code is `<noun>.<verb>` (`participant.registered`, `mediation.started`). Every
staff read of sensitive data (contact details, notes, referrals, survey answers, mail
addresses) is recorded, and the neighbourhood admin's weekly summary counts those reads per
staff member. The rule, so that new apps are counted without changing this file:

- a code ending in `.viewed` or `.exported` is a sensitive read
  (`participant.contact_viewed` is not: name it `participant_contact.viewed`);
- everything else is a change, except `twofactor.*`, which is reported as security.

The constants below are the codes to use; record with them rather than a new spelling.
"""

from __future__ import annotations

from django.db.models import Q

READ_SUFFIXES = (".viewed", ".exported")
SECURITY_PREFIX = "twofactor."

# Reads of participant data and other personal data (use these codes).
PARTICIPANT_VIEWED = "participant.viewed"  # a participant's page with contact details
PARTICIPANT_EXPORTED = "participant.exported"  # a list of participants downloaded
NOTE_VIEWED = "note.viewed"  # a broker's notes about a participant
REFERRAL_VIEWED = "referral.viewed"
REFERRAL_EXPORTED = "referral.exported"
SURVEY_VIEWED = "survey.viewed"  # survey / feedback answers
OUTBOX_VIEWED = "outbox.viewed"  # the sent-mail list shows recipients' addresses
AUDIT_EXPORTED = "audit.exported"
PARTICIPANT_LIST_VIEWED = "participant_list.viewed"  # a page of participants with contacts
PARTICIPANT_PROFILE_VIEWED = "participant_profile.viewed"  # self-reported profile answers
NOTES_VIEWED = "notes.viewed"  # one or more notes (the code the pages have always used)
REFERRAL_LIST_VIEWED = "referral_list.viewed"
HELD_MESSAGE_VIEWED = "held_message.viewed"
HELD_MESSAGE_LIST_VIEWED = "held_message_list.viewed"
ORGANISATION_VIEWED = "organisation.viewed"  # contact persons' e-mail and phone
ORGANISATION_LIST_VIEWED = "organisation_list.viewed"
MEDIATION_VIEWED = "mediation.viewed"
MEDIATION_LIST_VIEWED = "mediation_list.viewed"  # reasons
FOLLOW_UP_LIST_VIEWED = "follow_up_list.viewed"  # follow-up notes
HELD_RESPONSE_LIST_VIEWED = "held_response_list.viewed"  # residents' messages held for staff
STAFF_VIEWED = "staff.viewed"
SUPPORT_CONVERSATION_VIEWED = "support_conversation.viewed"
STAFF_LIST_VIEWED = "staff_list.viewed"  # staff members' e-mail addresses
# Time credits: what someone holds and received (who thanked whom, for what).
CREDIT_ACCOUNT_LIST_VIEWED = "credit_account_list.viewed"
CREDIT_ACCOUNT_VIEWED = "credit_account.viewed"
CREDIT_STATEMENT_VIEWED = "credit_statement.viewed"
CREDIT_OVERVIEW_EXPORTED = "credit_overview.exported"
CREDIT_REWARD_BY_MEMBER = "credit_reward.by_member"

SENSITIVE_READ_ACTIONS = frozenset(
    {
        PARTICIPANT_VIEWED,
        PARTICIPANT_EXPORTED,
        NOTE_VIEWED,
        REFERRAL_VIEWED,
        REFERRAL_EXPORTED,
        SURVEY_VIEWED,
        OUTBOX_VIEWED,
        AUDIT_EXPORTED,
    }
)

# Security events of the two-step login (tijdvoorelkaar.accounts.twofactor).
TWO_FACTOR_ACTIONS = frozenset(
    {
        "twofactor.enrolled",
        "twofactor.reset",
        "twofactor.recovery_codes_renewed",
        "twofactor.recovery_code_used",
        "twofactor.code_failed",
        "twofactor.locked_out",
    }
)


def is_sensitive_read(action: str) -> bool:
    return action.endswith(READ_SUFFIXES) or action in SENSITIVE_READ_ACTIONS


def sensitive_read_q() -> Q:
    """The same rule as a filter on AuditEvent.action."""
    condition = Q(action__in=SENSITIVE_READ_ACTIONS)
    for suffix in READ_SUFFIXES:
        condition |= Q(action__endswith=suffix)
    return condition


def security_q() -> Q:
    return Q(action__startswith=SECURITY_PREFIX)


def change_q() -> Q:
    return ~sensitive_read_q() & ~security_q()
