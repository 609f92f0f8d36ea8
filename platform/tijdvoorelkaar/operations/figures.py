"""Figures about the whole platform for Prometheus, read when `/metrics` is scraped: the
neighbourhoods by status and the spare schemas (one query each, in `public`), and the outbox
backlog that `measure_outbox_backlog` (a beat job) adds up over every neighbourhood.

The backlog is measured by a job, not at scrape time: at 10,000 neighbourhoods it is 10,000
small statements, one per schema. Never one query across schemas: each neighbourhood's tables
may live on another Citus node (docs/adr/0009-citus.md).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from psycopg.sql import SQL, Identifier

from tenants.outbox.models import OutboxMessage
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.selectors import platform_cache
from tijdvoorelkaar.neighbourhoods.spares import SPARE_PREFIX

BACKLOG_KEY = "outbox-backlog"
BACKLOG_STATES = ("waiting", "retrying", "failed")


class PlatformFigures(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        neighbourhoods = GaugeMetricFamily(
            "tve_neighbourhoods", "Neighbourhoods by status.", labels=["status"]
        )
        counts = dict(
            Neighbourhood.objects.values_list("status").annotate(n=Count("pk")).order_by()
        )
        for status in Neighbourhood.Status.values:
            neighbourhoods.add_metric([status], counts.get(status, 0))
        yield neighbourhoods
        yield GaugeMetricFamily(
            "tve_spare_schemas", "Spare schemas ready for provisioning.", value=_spare_count()
        )
        yield from _backlog_figures(platform_cache().get(BACKLOG_KEY))


def _spare_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_namespace WHERE starts_with(nspname, %s)", [SPARE_PREFIX]
        )
        return int(cursor.fetchone()[0])


def _backlog_figures(measured: dict[str, Any] | None) -> Iterator[GaugeMetricFamily]:
    if measured is None:
        return  # not measured yet (or the cache was emptied): no figure rather than a 0
    backlog = GaugeMetricFamily(
        "tve_outbox_backlog_messages",
        "Outbox messages over all neighbourhoods: waiting (first attempt), retrying, failed.",
        labels=["state"],
    )
    for state in BACKLOG_STATES:
        backlog.add_metric([state], measured[state])
    yield backlog
    yield GaugeMetricFamily(
        "tve_outbox_oldest_waiting_seconds",
        "Age of the oldest message still to be sent, over all neighbourhoods.",
        value=measured["oldest_waiting_seconds"],
    )
    yield GaugeMetricFamily(
        "tve_outbox_backlog_measured_timestamp_seconds",
        "When the outbox backlog was last measured.",
        value=measured["measured_at"],
    )


def measure_outbox_backlog() -> dict[str, Any]:
    """Add up every active neighbourhood's outbox backlog and keep it for the scrapes; returns
    the figures. One statement per schema, naming that schema's table (no `SET search_path`
    in between): ≈ 1 ms a neighbourhood, so ≈ 10 s at 10,000."""
    totals: dict[str, Any] = dict.fromkeys(BACKLOG_STATES, 0)
    oldest = None
    unsent = [OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING]
    query = SQL(
        "SELECT count(*) FILTER (WHERE status = ANY(%(unsent)s) AND failing_since IS NULL),"
        " count(*) FILTER (WHERE status = ANY(%(unsent)s) AND failing_since IS NOT NULL),"
        " count(*) FILTER (WHERE status = %(failed)s),"
        " min(created_at) FILTER (WHERE status = ANY(%(unsent)s)) FROM {}"
    )
    schemas = Neighbourhood.objects.filter(status=Neighbourhood.Status.ACTIVE).values_list(
        "schema_name", flat=True
    )
    with connection.cursor() as cursor:
        for schema_name in schemas:
            table = Identifier(schema_name, OutboxMessage._meta.db_table)
            cursor.execute(
                query.format(table), {"unsent": unsent, "failed": OutboxMessage.Status.FAILED}
            )
            *counts, first = cursor.fetchone()
            for state, count in zip(BACKLOG_STATES, counts, strict=True):
                totals[state] += count
            if first is not None and (oldest is None or first < oldest):
                oldest = first
    totals["oldest_waiting_seconds"] = (
        (timezone.now() - oldest).total_seconds() if oldest is not None else 0.0
    )
    totals["measured_at"] = time.time()
    platform_cache().set(BACKLOG_KEY, totals, None)
    return totals
