"""Readiness checks for the load balancer and Kubernetes."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> None:
    cache.set("health-probe", "ok", 10)
    if cache.get("health-probe") != "ok":
        raise RuntimeError("cache did not return what was stored")


def check_broker() -> None:
    from tijdvoorelkaar.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        if name == "broker" and getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            results[name] = "skipped (tasks run in-process)"
            continue
        try:
            check()
        except Exception as error:  # noqa: BLE001 - report any failure as not ready
            results[name] = f"error: {type(error).__name__}"
        else:
            results[name] = "ok"
    return results
