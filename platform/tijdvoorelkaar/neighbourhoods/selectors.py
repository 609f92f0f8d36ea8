"""Reads of the neighbourhood registry."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Prefetch, QuerySet

from .models import Domain, Neighbourhood

_HOST_KEY = "neighbourhood-host:{}"


def current_neighbourhood() -> Neighbourhood:
    """The neighbourhood whose schema this request, task or `tenant_context` works in."""
    tenant = connection.tenant
    if not isinstance(tenant, Neighbourhood):
        raise RuntimeError("not inside a neighbourhood's schema")
    return tenant


def platform_cache():  # type: ignore[no-untyped-def]
    """The cache for keys that must read the same from every schema."""
    return caches["platform"]


def neighbourhoods() -> QuerySet[Neighbourhood]:
    """All neighbourhoods with their domains, for lists (two queries however many)."""
    return Neighbourhood.objects.prefetch_related(
        Prefetch("domains", queryset=Domain.objects.order_by("-is_primary", "domain"))
    )


def active_schema_names() -> Iterable[str]:
    return Neighbourhood.objects.filter(status=Neighbourhood.Status.ACTIVE).values_list(
        "schema_name", flat=True
    )


def neighbourhood_for_host(hostname: str) -> Neighbourhood | None:
    """The neighbourhood a host name serves, cached so a request costs no lookup query.

    Misses are not cached: any Host header can be sent, and each would take a cache entry.
    """
    key = _HOST_KEY.format(hostname)
    found = platform_cache().get(key)
    if found is None:
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        if domain is None:
            return None
        found = domain.tenant
        platform_cache().set(key, found, settings.TENANT_HOST_CACHE_SECONDS)
    return found


def forget_hosts(hostnames: Iterable[str]) -> None:
    """Drop cached host lookups after a neighbourhood or its domains changed."""
    platform_cache().delete_many([_HOST_KEY.format(name) for name in hostnames])
