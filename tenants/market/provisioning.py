"""Default categories for a new neighbourhood, named in its default language; the admin
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
    with translation.override(neighbourhood.default_language):
        names = [gettext(name) for name in DEFAULT_CATEGORIES]
    Category.objects.bulk_create(
        Category(name=name, slug=slugify(name), position=index)
        for index, name in enumerate(names, start=1)
    )
