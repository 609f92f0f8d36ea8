"""Counting one visit: two salted hashes of (IP, user agent), one upsert of both. The
IP and the user agent are never stored; each salt is deleted when its day or year is over."""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from .models import Salt, Visitor

SALT_CACHE_SECONDS = 3600  # the salts' rows are the truth; the cache saves a query a visit


def _cache_key(kind: str, day: date) -> str:
    return f"siteuse:salt:{kind}:{day}"  # the cache adds the schema's name


_SALT = Salt._meta.db_table
# Made by the first visit of the day (or year), whichever process gets there first.
_MAKE_SALT = f"""
WITH made AS (
    INSERT INTO {_SALT} (kind, day, salt) VALUES (%s, %s, %s)
    ON CONFLICT (kind, day) DO NOTHING RETURNING salt
)
SELECT salt FROM made UNION ALL SELECT salt FROM {_SALT} WHERE kind = %s AND day = %s
"""  # noqa: S608 - the table name from the model, values as parameters


def _salt(kind: str, day: date) -> str:
    cache_key = _cache_key(kind, day)
    salt = cache.get(cache_key)
    if salt is None:
        with connection.cursor() as cursor:
            cursor.execute(_MAKE_SALT, [kind, day, secrets.token_hex(32), kind, day])
            row = cursor.fetchone()
            if row is None:  # another process made it after this statement's snapshot
                salt = Salt.objects.values_list("salt", flat=True).get(kind=kind, day=day)
            else:
                salt = row[0]
        cache.set(cache_key, salt, SALT_CACHE_SECONDS)
    return str(salt)


def _year_key(day: date, start_month: int) -> date:
    """The day a reporting year's salt is kept under: January 1 of the calendar year in which
    the reporting year that holds `day` starts."""
    return date(reporting_year(day, start_month), 1, 1)


def reporting_year(day: date, start_month: int) -> int:
    """The calendar year in which the reporting year that holds `day` starts."""
    return day.year if day.month >= start_month else day.year - 1


def _hash(salt: str, ip: str, user_agent: str) -> str:
    return hashlib.blake2b(
        f"{ip}\n{user_agent}".encode(), key=salt.encode()[:64], digest_size=16
    ).hexdigest()


_VISITOR = Visitor._meta.db_table
# One statement for a visit or a day's worth of them: each visitor once per kind (Counter), as
# ON CONFLICT may touch a row only once per statement. The day's and the month's rows are of
# different kinds, so they never meet.
_UPSERT = f"""
INSERT INTO {_VISITOR} (kind, period, visitor, visits)
SELECT %s, %s, visitor, visits FROM unnest(%s::text[], %s::int[]) AS given(visitor, visits)
UNION ALL
SELECT %s, %s, visitor, visits FROM unnest(%s::text[], %s::int[]) AS given(visitor, visits)
ON CONFLICT (kind, period, visitor) DO UPDATE SET visits = {_VISITOR}.visits + EXCLUDED.visits
"""  # noqa: S608 - the table name from the model, values as parameters


def count_visits(
    *, day: date, start_month: int, visitors: Iterable[tuple[str, str]], visits_each: int = 1
) -> None:
    """Count `visits_each` visits on `day` for each (IP, user agent) in `visitors`, in one
    statement. The middleware counts one; the demo counts a day at a time through the same
    hashing."""
    daily_salt = _salt(Salt.Kind.DAY, day)
    year_salt = _salt(Salt.Kind.YEAR, _year_key(day, start_month))
    daily: Counter[str] = Counter()
    regular: Counter[str] = Counter()
    for ip, user_agent in visitors:
        daily[_hash(daily_salt, ip, user_agent)] += visits_each
        regular[_hash(year_salt, ip, user_agent)] += visits_each
    if not daily:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT,
            [
                Visitor.Kind.DAY.value,
                day,
                list(daily),
                list(daily.values()),
                Visitor.Kind.MONTH.value,
                day.replace(day=1),
                list(regular),
                list(regular.values()),
            ],
        )


def count_visit(*, ip: str, user_agent: str, start_month: int) -> None:
    """Count one visit today (what the middleware calls for each public page it serves)."""
    count_visits(day=timezone.localdate(), start_month=start_month, visitors=[(ip, user_agent)])


def forget_old_salts(*, start_month: int, today: date | None = None) -> int:
    """Delete the salts of days before today and of reporting years before this one: from then
    on nobody, the platform included, can tell whose visits the old rows counted."""
    today = today or timezone.localdate()
    old = Salt.objects.filter(
        Q(kind=Salt.Kind.DAY, day__lt=today)
        | Q(kind=Salt.Kind.YEAR, day__lt=_year_key(today, start_month))
    )
    cache.delete_many([_cache_key(kind, day) for kind, day in old.values_list("kind", "day")])
    deleted, _detail = old.delete()
    return deleted
