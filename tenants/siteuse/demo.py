"""Demo site use: two years of visits through the counting service (with explicit days), from
a pool of made-up addresses in the documentation ranges: a few regulars, many passers-by."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .models import Visitor
from .services import count_visits, forget_old_salts

DAYS = 730
BROWSERS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36",
)


def _visitor(number: int) -> tuple[str, str]:
    return (f"198.51.{number // 250}.{number % 250 + 1}", BROWSERS[number % len(BROWSERS)])


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    if Visitor.objects.exists():  # the demo ran here already
        return
    chance = random.Random(f"siteuse-{neighbourhood.slug}")  # noqa: S311 - demo, not secrets
    start_month = neighbourhood.reporting_year_start_month
    today = timezone.localdate()
    regulars = [_visitor(number) for number in range(25)]
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        growth = 1 + (DAYS - offset) / DAYS  # the site gets busier over the two years
        weekend = day.weekday() >= 5
        passers_by = int(chance.randint(6, 18) * growth * (0.6 if weekend else 1))
        visitors = [_visitor(25 + chance.randrange(5000)) for _ in range(passers_by)]
        visitors += [visitor for visitor in regulars if chance.random() < 0.12]
        count_visits(day=day, start_month=start_month, visitors=visitors)
        if chance.random() < 0.3:  # some read several pages
            count_visits(day=day, start_month=start_month, visitors=visitors[:3], visits_each=2)
    forget_old_salts(start_month=start_month, today=today)
