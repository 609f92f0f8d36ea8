"""What the resident need not fill in: a title taken from the start of their text, and a
category suggested from the words they used (or their earlier ads). Both stay editable, and
the broker corrects a category that does not fit.

Categories are each neighbourhood's own (renamed, added), so a category matches by the words
of its name, plus the keywords below for the defaults the seed creates (by their Dutch or
English slug)."""

from __future__ import annotations

import re

from tenants.people.models import Participant, SubArea

from .models import Ad, Category

TITLE_LENGTH = 60  # fits a card's heading on a phone, well under the field's 100
TRUNCATED = "…"

# Word stems per default category (slugs in Dutch and English, as the seed names them in
# either language). A stem of four letters or more also matches inside a Dutch compound
# ("tuin" in "achtertuin"); a shorter one only at a word's start ("kat" in "katten").
KEYWORDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("klusjes", "odd-jobs"): (
        "klus", "repar", "schilder", "boor", "lamp", "kapot", "lekk", "monteer", "ophang",
        "gereedschap", "fiets", "verhuiz", "repair", "fix", "drill", "shelf", "plank",
    ),
    ("tuin", "garden"): (
        "tuin", "gras", "maai", "snoei", "heg", "onkruid", "bloem", "plant", "garden",
        "lawn", "weed", "hedge", "mow",
    ),
    ("gezelschap-en-bezoek", "company-and-visits"): (
        "gezelschap", "bezoek", "wandel", "praat", "koffie", "eenzaam", "spelletje",
        "visit", "company", "chat", "coffee", "lonely",
    ),
    ("taal-en-computerhulp", "language-and-computer-help"): (
        "taal", "computer", "laptop", "tablet", "telefoon", "smartphone", "internet",
        "digid", "formulier", "nederlands", "engels", "language", "dutch", "english",
        "phone", "form",
    ),
    ("boodschappen-en-vervoer", "shopping-and-transport"): (
        "boodschap", "winkel", "supermarkt", "vervoer", "rijden", "auto", "ziekenhuis",
        "huisarts", "shopping", "groceries", "lift", "drive", "transport", "hospital",
    ),
    ("kinderen-en-huiswerk", "children-and-homework"): (
        "kind", "huiswerk", "oppas", "school", "baby", "child", "homework", "babysit", "kids",
    ),
    ("huisdieren", "pets"): (
        "hond", "kat", "poes", "huisdier", "konijn", "vogel", "uitlat", "dog", "cat", "pet",
        "rabbit",
    ),
    ("creatief", "creative"): (
        "creatie", "knutsel", "brei", "naai", "teken", "muziek", "gitaar", "piano", "zing",
        "craft", "knit", "sew", "draw", "music", "sing",
    ),
}  # fmt: skip
OTHER = ("overig", "other", "anders")
NAME_STEM_LENGTH = 4  # words of a category's name shorter than this ("en", "and") say nothing


def title_from(body: str) -> str:
    """The text's first sentence (or line), cut at a word boundary to a card's length."""
    text = " ".join(body.split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(".!")
    if len(first) <= TITLE_LENGTH:
        return first
    cut = first[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] if " " in first else first
    return cut[: TITLE_LENGTH - 1].rstrip(" ,;:-") + TRUNCATED


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.casefold())


def _matches(stem: str, words: list[str]) -> int:
    if len(stem) >= NAME_STEM_LENGTH:
        return sum(stem in word for word in words)
    return sum(word.startswith(stem) for word in words)


def _stems(category: Category) -> set[str]:
    stems = {word for word in _words(category.name) if len(word) >= NAME_STEM_LENGTH}
    for slugs, keywords in KEYWORDS.items():
        if category.slug in slugs:
            stems.update(keywords)
    return stems


def _is_other(category: Category) -> bool:
    return category.slug in OTHER or category.name.casefold() in OTHER


def suggested_category(*, text: str, participant: Participant | None = None) -> Category | None:
    """The active category whose words the text uses most; else the one of the person's
    latest ad; else "Other" (or the last in the list); None when no category is in use."""
    categories = list(Category.objects.filter(is_active=True).order_by("position", "name"))
    if not categories:
        return None
    words = _words(text)
    scored = [(sum(_matches(s, words) for s in _stems(c)), -i, c) for i, c in enumerate(categories)]
    best = max(scored, key=lambda row: row[:2])
    if best[0] > 0:
        return best[2]
    if participant is not None and participant.pk is not None:
        earlier = (
            Ad.objects.filter(participant=participant, category__is_active=True)
            .select_related("category")
            .order_by("-created_at")
            .first()
        )
        if earlier is not None:
            return earlier.category
    return next((c for c in categories if _is_other(c)), categories[-1])


def suggested_sub_area(participant: Participant | None) -> SubArea | None:
    """The person's own sub-area, else the one of their latest ad (None: the whole
    neighbourhood); preselected on the form, where they can change it."""
    if participant is None:
        return None
    if participant.sub_area_id is not None:
        return participant.sub_area
    latest = Ad.objects.filter(participant=participant).order_by("-created_at").first()
    return latest.sub_area if latest is not None else None
