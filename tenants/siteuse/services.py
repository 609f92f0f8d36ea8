"""Counting one visit: two salted hashes of (IP, user agent), two upserts in one statement. The
IP and the user agent are never stored; each salt is deleted when its day or year is over."""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .models import DailySalt, DailyVisitor, RegularVisitor, YearSalt

SALT_CACHE_SECONDS = 3600  # the salts' rows are the truth; the cache saves a query a visit


def _cache_key(model: type[DailySalt] | type[YearSalt], key: object) -> str:
    return f"siteuse:{model.__name__}:{key}"  # the cache adds the schema's name


def _salt(model: type[DailySalt] | type[YearSalt], key: date | int) -> str:
    cache_key = _cache_key(model, key)
    salt = cache.get(cache_key)
    if salt is None:
        table, field = model._meta.db_table, model._meta.pk.column
        # Made by the first visit of the day (or year), whichever process gets there first.
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH made AS (INSERT INTO {table} ({field}, salt) VALUES (%s, %s)"  # noqa: S608
                f" ON CONFLICT ({field}) DO NOTHING RETURNING salt)"
                f" SELECT salt FROM made UNION ALL SELECT salt FROM {table} WHERE {field} = %s",
                [key, secrets.token_hex(32), key],
            )
            row = cursor.fetchone()
            if row is None:  # another process made it after this statement's snapshot
                cursor.execute(f"SELECT salt FROM {table} WHERE {field} = %s", [key])  # noqa: S608
                row = cursor.fetchone()
            salt = row[0]
        cache.set(cache_key, salt, SALT_CACHE_SECONDS)
    return str(salt)


def reporting_year(day: date, start_month: int) -> int:
    """The calendar year in which the reporting year that holds `day` starts."""
    return day.year if day.month >= start_month else day.year - 1


def _hash(salt: str, ip: str, user_agent: str) -> str:
    return hashlib.blake2b(
        f"{ip}\n{user_agent}".encode(), key=salt.encode()[:64], digest_size=16
    ).hexdigest()


_DAILY = DailyVisitor._meta.db_table
_REGULAR = RegularVisitor._meta.db_table
# One statement for a visit or a day's worth of them: each visitor once per table (Counter),
# as ON CONFLICT may touch a row only once per statement.
_UPSERT = f"""
WITH daily AS (
    INSERT INTO {_DAILY} (day, visitor, visits)
    SELECT %s, visitor, visits FROM unnest(%s::text[], %s::int[]) AS given(visitor, visits)
    ON CONFLICT (day, visitor) DO UPDATE SET visits = {_DAILY}.visits + EXCLUDED.visits
)
INSERT INTO {_REGULAR} (month, visitor, visits)
SELECT %s, visitor, visits FROM unnest(%s::text[], %s::int[]) AS given(visitor, visits)
ON CONFLICT (month, visitor) DO UPDATE SET visits = {_REGULAR}.visits + EXCLUDED.visits
"""  # noqa: S608 - table names from the models, values as parameters


def count_visits(
    *, day: date, start_month: int, visitors: Iterable[tuple[str, str]], visits_each: int = 1
) -> None:
    """Count `visits_each` visits on `day` for each (IP, user agent) in `visitors`, in one
    statement. The middleware counts one; the demo counts a day at a time through the same
    hashing."""
    daily_salt = _salt(DailySalt, day)
    year_salt = _salt(YearSalt, reporting_year(day, start_month))
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
                day,
                list(daily),
                list(daily.values()),
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
    old_days = DailySalt.objects.filter(day__lt=today)
    old_years = YearSalt.objects.filter(year__lt=reporting_year(today, start_month))
    cache.delete_many(
        [_cache_key(DailySalt, day) for day in old_days.values_list("day", flat=True)]
        + [_cache_key(YearSalt, year) for year in old_years.values_list("year", flat=True)]
    )
    days, _detail = old_days.delete()
    years, _detail = old_years.delete()
    return days + years
