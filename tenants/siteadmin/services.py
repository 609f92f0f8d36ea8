"""What the neighbourhood's admins are sent: the weekly summary of the audit log.

It lives here, beside the audit page it links to, and not in `tenants.audit`: it picks the
admins among the accounts, and the audit log sits below accounts, which record into it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tenants.audit.selectors import activity_by_actor, previous_week, week_bounds
from tenants.outbox.models import OutboxMessage
from tenants.outbox.services import neighbourhood_bounce_address, queue_mail
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.sites import site_url


def send_weekly_summary(*, now: datetime | None = None) -> int:
    """Mail each active admin of the current neighbourhood last week's summary of the audit
    log: per person, reads of sensitive data, changes and security events, with a link to
    the audit page for that week. Says so when nobody read anything. Returns the number of
    mails queued; an admin who already got this week's summary is skipped (safe to rerun)."""
    neighbourhood = connection.tenant
    week = previous_week(now)
    start, end = week_bounds(week)
    activity = activity_by_actor(start=start, end=end)
    link = site_url(neighbourhood, f"{reverse('siteadmin:audit')}?week={week}")
    reads_link = site_url(neighbourhood, f"{reverse('siteadmin:audit')}?week={week}&action=reads")
    purpose = f"audit-summary {week}"
    already = set(OutboxMessage.objects.filter(purpose=purpose).values_list("to", flat=True))
    admins = User.objects.filter(role=Role.ADMIN, is_active=True).exclude(email__in=already)
    context = {
        "neighbourhood": neighbourhood,
        "week": week,
        "start": start,
        "last_day": end - timedelta(days=1),
        "activity": activity,
        "total_reads": sum(row.reads for row in activity),
        "link": link,
        "reads_link": reads_link,
    }
    sent, bounces = 0, neighbourhood_bounce_address()  # one query, however many admins
    with transaction.atomic():
        for admin in admins:
            with translation.override(neighbourhood.default_language):
                subject = _("Who read what in %(name)s: week %(week)s") % {
                    "name": neighbourhood.name,
                    "week": week,
                }
                body = render_to_string("audit/mail/weekly_summary.txt", context)
            queue_mail(
                to=admin.email,
                subject=subject,
                body=body,
                purpose=purpose,
                bounce_address=bounces,
            )
            sent += 1
    return sent
