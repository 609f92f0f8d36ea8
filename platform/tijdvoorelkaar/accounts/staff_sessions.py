"""Staff sessions end sooner than residents': after STAFF_SESSION_IDLE_SECONDS without a
request, and STAFF_SESSION_MAX_SECONDS after they began, whatever happens in between.

Brokers, admins and operators read personal data; a laptop left open in a community centre
must not stay signed in for the two weeks a resident's session lasts. The session row and its
cookie expire an hour after the timeout too: an abandoned session also dies in the database,
while one that comes back soon still finds its row and is told why it was logged out.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .twofactor import needs_two_factor

STARTED = "_staff_session_started"
SEEN = "_staff_session_seen"
SEEN_EVERY_SECONDS = 60  # the session row is written at most once a minute, not per request
ROW_OUTLIVES_SECONDS = 3600


class StaffSessionMiddleware:
    """After authentication and messages: logs out a staff session that idled or lived too
    long (the page then asks for a login), and keeps the others' clocks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_two_factor(getattr(request, "user", None)):
            _check(request, now=int(time.time()))
        return self.get_response(request)


def _check(request: HttpRequest, *, now: int) -> None:
    session = request.session
    started = session.setdefault(STARTED, now)  # the first request after the password
    seen = session.get(SEEN, now)
    idle, lifetime = settings.STAFF_SESSION_IDLE_SECONDS, settings.STAFF_SESSION_MAX_SECONDS
    if now - seen > idle or now - started > lifetime:
        logout(request)
        messages.info(request, _("For your safety you were logged out. Please log in again."))
        return
    if SEEN not in session or now - seen >= SEEN_EVERY_SECONDS:
        session[SEEN] = now
        session.set_expiry(min(idle, started + lifetime - now) + ROW_OUTLIVES_SECONDS)
