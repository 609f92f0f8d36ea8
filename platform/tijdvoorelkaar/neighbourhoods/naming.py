"""Rules for slugs, schema names and domains, shared by forms, API and the command."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = 40
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
DOMAIN_PATTERN = re.compile(rf"^(?=.{{1,253}}$)({_LABEL}\.)*{_LABEL}$")
RESERVED_NAMES = frozenset(
    {
        "public",
        "www",
        "api",
        "admin",
        "static",
        "media",
        "mail",
        "console",
        "platform",
        "information-schema",
        "pg-catalog",
        "pg-toast",
    }
)


def schema_name_for(slug: str) -> str:
    """A neighbourhood's PostgreSQL schema: a fixed prefix keeps clear of system schemas."""
    return f"{settings.SCHEMA_PREFIX}{slug.replace('-', '_')}"


def validate_slug(slug: str) -> None:
    if len(slug) < 3 or len(slug) > SLUG_MAX_LENGTH:
        raise ValidationError(
            _("Use between 3 and %(max)d characters.") % {"max": SLUG_MAX_LENGTH}, code="length"
        )
    if not SLUG_PATTERN.match(slug):
        raise ValidationError(
            _("Use lowercase letters, digits and single hyphens, starting with a letter."),
            code="invalid",
        )
    blueprint = settings.BLUEPRINT_SCHEMA.replace("_", "-")
    if slug in RESERVED_NAMES or slug == blueprint or slug.startswith("pg-"):
        raise ValidationError(_("“%(slug)s” is a reserved name.") % {"slug": slug}, code="reserved")


def validate_domain(domain: str) -> None:
    if not DOMAIN_PATTERN.match(domain):
        raise ValidationError(
            _("“%(domain)s” is not a valid domain name.") % {"domain": domain}, code="invalid"
        )
    first_label, _dot, rest = domain.partition(".")
    platform_subdomain = rest == settings.PLATFORM_BASE_DOMAIN and first_label in RESERVED_NAMES
    if platform_subdomain or domain in settings.PLATFORM_HOSTS:
        raise ValidationError(
            _("“%(domain)s” is reserved for the platform.") % {"domain": domain}, code="reserved"
        )
