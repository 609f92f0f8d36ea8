"""Links into a neighbourhood's site, for mails and pages.

Below every app that writes a link (accounts' invitations, the audit summary, the
marketplace's mails, the console), so that none of them imports the neighbourhood registry
for it: the registry provisions through accounts and records audit events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    # django-tenants' tenant, whose domains are its `domains`: not the registry's model,
    # which this module sits below.
    from django_tenants.models import TenantMixin as Neighbourhood


def site_url(neighbourhood: Neighbourhood, path: str = "/") -> str:
    """An absolute link into a neighbourhood's site, for mails and the console."""
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{_primary_domain(neighbourhood)}{port}{path}"


def site_address(neighbourhood: Neighbourhood) -> str:
    """The site's address for the console to show, or "" when the neighbourhood has no
    domain (a backup restored as a copy gets none): "http://:8000/" is no address."""
    return site_url(neighbourhood) if _primary_domain(neighbourhood) else ""


def _primary_domain(neighbourhood: Neighbourhood) -> str:
    domains = sorted(neighbourhood.domains.all(), key=lambda d: (not d.is_primary, d.domain))
    return domains[0].domain if domains else ""
