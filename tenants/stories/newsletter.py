"""Stories' section of the monthly newsletter (the `newsletter_sections` hook mailings reads):
the one or two newest published stories."""

from __future__ import annotations

import datetime

from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext_noop

from tijdvoorelkaar.contributions import NewsletterItem, NewsletterSection
from tijdvoorelkaar.sites import site_url

from .selectors import newest_stories, published_stories

EXCERPT = 300


def excerpt(text: str, length: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def sections(since: datetime.datetime) -> list[NewsletterSection]:
    """Up to two stories published since `since`; when none is new, the newest one (a
    newsletter tells a story every month, and stories are few)."""
    neighbourhood = connection.tenant
    stories = list(published_stories().filter(published_at__gte=since)[:2])
    stories = stories or newest_stories(count=1)
    if not stories:
        return []
    items = [
        NewsletterItem(
            title=story.title,
            text=excerpt(story.text),
            url=site_url(neighbourhood, reverse("stories:public-detail", args=[story.pk])),
            image_url=site_url(neighbourhood, story.photo.url) if story.photo else None,
        )
        for story in stories
    ]
    return [NewsletterSection(heading=gettext_noop("Success stories"), items=items)]
