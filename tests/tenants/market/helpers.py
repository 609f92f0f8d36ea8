"""Building marketplace data for tests, through the services (and fast in bulk)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tenants.market.models import Ad, AdStatus, Category
from tenants.market.services.ads import ad_search_vector, confirm_ad, place_ad
from tenants.people.services.participants import participant_for_contact


def published_ad(
    *,
    title: str = "Ik help met de tuin",
    body: str = "Snoeien en harken, op zaterdag.",
    kind: str = "offer",
    email: str = "ans@example.org",
    name: str = "Ans",
    phone: str = "",
    **extra: object,
) -> Ad:
    participant = participant_for_contact(display_name=name, email=email, phone=phone)
    values: dict[str, object] = {
        "kind": kind,
        "title": title,
        "body": body,
        "category": Category.objects.get(slug="tuin"),
    }
    values.update(extra)
    ad = place_ad(participant=participant, **values)  # type: ignore[arg-type]
    return confirm_ad(ad=ad) if ad.status == AdStatus.UNCONFIRMED else ad


def many_published_ads(count: int, *, word: str = "fiets") -> None:
    """`count` published ads in two statements (bulk insert, one search-vector update)."""
    owner = published_ad(email="veel@example.org", name="Veel").participant
    categories = list(Category.objects.all())
    now = timezone.now()
    Ad.objects.bulk_create(
        Ad(
            kind="offer" if n % 2 else "request",
            title=f"Advertentie {n} {word}",
            body=f"Tekst van advertentie {n} over een {word} en de buurt.",
            category=categories[n % len(categories)],
            participant=owner,
            status=AdStatus.PUBLISHED,
            confirmed_at=now,
            published_at=now - datetime.timedelta(minutes=n),
            expires_at=now + datetime.timedelta(weeks=8),
        )
        for n in range(count)
    )
    Ad.objects.filter(search_vector__isnull=True).update(search_vector=ad_search_vector())
