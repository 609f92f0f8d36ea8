"""The default routing for a new neighbourhood, named in Dutch with English beside; the admin
renames, reorders, adds or retires steps afterwards (/manage/routing/)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .models import RoutingStep

DEFAULT_STEPS = (
    gettext_noop("First contact"),
    gettext_noop("Intake"),
    gettext_noop("Ad placed"),
    gettext_noop("Match proposed"),
    gettext_noop("First meeting"),
    gettext_noop("Follow-up"),
    gettext_noop("Closed"),
)


def seed_neighbourhood(neighbourhood: Neighbourhood) -> None:
    with translation.override("nl"):
        names = [(gettext(name), name) for name in DEFAULT_STEPS]
    RoutingStep.objects.bulk_create(
        RoutingStep(name=dutch, name_en=english, position=index)
        for index, (dutch, english) in enumerate(names, start=1)
    )
