"""What every workspace page looks up the same way: the participant a path names, and where
a button goes back to."""

from __future__ import annotations

from django.http import HttpRequest

from tenants.people.models import Participant
from tijdvoorelkaar.accounts.access import local_next, object_or_404

from .. import selectors


def participant_or_404(pk: int) -> Participant:
    """A participant staff may see (not erased), by the id in the path."""
    return object_or_404(selectors.participants(), pk)


def next_page(request: HttpRequest, default: str) -> str:
    """Where to go after a button: a page of the workspace on this host, else `default`."""
    return local_next(request, default, within="/broker/")
