"""Counting one visit: two salted hashes of (IP, user agent), two upserts in one statement. The
IP and the user agent are never stored; each salt is deleted when its day or year is over."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from .models import DailySalt, DailyVisitor, RegularVisitor, YearSalt

SALT_CACHE_SECONDS = 3600  # the salts' rows are the truth; the cache saves a query a visit


def _cache_key(model: type[DailySalt] | type[YearSalt], key: object) -> str:
    return f"siteuse:{model.__name__}:{key}"  # the cache adds the schema's name


def _salt(model: type[DailySalt] | type[YearSalt], key: date | int) -> str:
    cache_key = _cache_key(model, key)
    salt = cache.get(cache_key)
    if salt is None:
        field = "day" if model is DailySalt else "year"
        row, _created = model.objects.get_or_create(  # type: ignore[attr-defined]
            **{field: key}, defaults={"salt": secrets.token_hex(32)}
        )
        salt = row.salt
        cache.set(cache_key, salt, SALT_CACHE_SECONDS)
    return str(salt)


def reporting_year(day: date, start_month: int) -> int:
    """The calendar year in which the reporting year that holds `day` starts."""
    return day.year if day.month >= start_month else day.year - 1


def _hash(salt: str, ip: str, user_agent: str) -> str:
    return hashlib.blake2b(
        f"{ip}\n{user_agent}".encode(), key=salt.encode()[:64], digest_size=16
    ).hexdigest()


_UPSERT = f"""
WITH daily AS (
    INSERT INTO {DailyVisitor._meta.db_table} (day, visitor, visits) VALUES (%s, %s, %s)
    ON CONFLICT (day, visitor) DO UPDATE SET visits = {DailyVisitor._meta.db_table}.visits + %s
)
INSERT INTO {RegularVisitor._meta.db_table} (month, visitor, visits) VALUES (%s, %s, %s)
ON CONFLICT (month, visitor) DO UPDATE SET visits = {RegularVisitor._meta.db_table}.visits + %s
"""  # noqa: S608 - table names from the models, values as parameters


def count_visits(
    *, day: date, start_month: int, visitors: Iterable[tuple[str, str]], visits_each: int = 1
) -> None:
    """Count `visits_each` visits on `day` for each (IP, user agent) in `visitors`. The
    middleware counts one; the demo counts many days at once through the same hashing."""
    daily_salt = _salt(DailySalt, day)
    year_salt = _salt(YearSalt, reporting_year(day, start_month))
    month = day.replace(day=1)
    rows = [
        (
            day,
            _hash(daily_salt, ip, user_agent),
            visits_each,
            visits_each,
            month,
            _hash(year_salt, ip, user_agent),
            visits_each,
            visits_each,
        )
        for ip, user_agent in visitors
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(_UPSERT, rows)


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
