"""Default categories for a new neighbourhood, named in Dutch with English beside; the admin
renames, reorders or retires them afterwards."""

from __future__ import annotations

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .models import Category

DEFAULT_CATEGORIES = (
    gettext_noop("Odd jobs"),
    gettext_noop("Garden"),
    gettext_noop("Company and visits"),
    gettext_noop("Language and computer help"),
    gettext_noop("Shopping and transport"),
    gettext_noop("Children and homework"),
    gettext_noop("Pets"),
    gettext_noop("Creative"),
    gettext_noop("Other"),
)


def seed_neighbourhood(neighbourhood: Neighbourhood) -> None:
    with translation.override("nl"):
        names = [(gettext(name), name) for name in DEFAULT_CATEGORIES]
    Category.objects.bulk_create(
        Category(name=dutch, name_en=english, slug=slugify(dutch), position=index)
        for index, (dutch, english) in enumerate(names, start=1)
    )
