"""Fixtures for the participant tests: data made through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tenants.utils import tenant_context

from tenants.people.models import Participant
from tenants.people.services.registration import enrol_participant
from tests.support import factories
from tests.support.cast import Member


def _enrol(
    place: Any, *, consents: tuple[str, ...] = ("registration",), **fields: Any
) -> Participant:
    fields.setdefault("display_name", "Ans")
    with tenant_context(place.neighbourhood):
        return enrol_participant(
            registered_by=place.broker.user,
            consents=consents,
            confirm_not_duplicate=True,
            **fields,
        )


def _organisation_member(place: Any) -> Member:
    with tenant_context(place.neighbourhood):
        return factories.organisation_member(f"school@{place.neighbourhood.slug}.test", "")


@pytest.fixture
def enrol() -> Callable[..., Participant]:
    return _enrol


@pytest.fixture
def organisation_member() -> Callable[[Any], Member]:
    return _organisation_member
