"""schemathesis sends generated requests to every operation of both published schemas
(the platform's and a neighbourhood's), anonymously and with a staff token: no answer is a
server error, and every answer is one the schema declares (status, content type, body).

A fixed seed and a few examples per operation keep it within the suite's time; writes go to
a neighbourhood provisioned for the test (rolled back with it). For a longer run by hand see
docs/operations.md ("Fuzzing the API").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.cast import PLATFORM_HOST, Member, build_place, client_for
from tijdvoorelkaar.quickstart.demo_data import add_demo_content

pytestmark = pytest.mark.django_db

SEED = 20261206
EXAMPLES_PER_OPERATION = 4
CLIENT = {"REMOTE_ADDR": "192.0.2.10"}  # as a real server passes it
# Valid requests must get answers their schema describes; invalid ones (wrong types, missing
# fields, ids that are not numbers) a declared error, never a server error.
CHECKS = {
    GenerationMode.POSITIVE: [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ],
    GenerationMode.NEGATIVE: [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
    ],
}


@contextmanager
def wsgi_app_in_this_transaction() -> Iterator[Any]:
    """Django's WSGI app, called in-process; like the test client, it must not close the
    test's database connection at the end of each request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def fuzz(host: str, token: str | None, *, examples: int, seed_value: int) -> dict[str, Any]:
    """Run every operation of `host`'s schema; returns the number of cases and the failures
    (one per operation and check, with the request to reproduce it)."""
    document = client_for(host).get("/api/schema/", {"format": "json"}).json()
    schema = schemathesis.openapi.from_dict(document)
    headers = {"Authorization": f"Token {token}"} if token else {}
    found: dict[str, Any] = {"cases": 0, "failures": []}

    with wsgi_app_in_this_transaction() as app:
        for result in schema.get_all_operations():
            for mode in CHECKS:
                failure = fuzz_operation(
                    result.ok(),
                    mode=mode,
                    call={"app": app, "base_url": f"http://{host}", "headers": headers},
                    examples=examples,
                    seed_value=seed_value,
                    counter=found,
                )
                found["failures"] += [failure] if failure else []
    return found


def fuzz_operation(
    operation: Any,
    *,
    mode: GenerationMode,
    call: dict[str, Any],
    examples: int,
    seed_value: int,
    counter: dict[str, Any],
) -> str | None:
    """Up to `examples` cases of one operation; the failure found, if any."""

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: report, do not minimise
        suppress_health_check=list(HealthCheck),
    )
    @seed(seed_value)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        counter["cases"] += 1
        response = case.call(**call, environ_base=CLIENT)
        case.validate_response(response, checks=CHECKS[mode], headers=call["headers"])

    try:
        run()
    except Unsatisfiable:
        pass  # nothing to make invalid: no parameters and no body
    except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - the caller asserts
        return f"{operation.label} ({mode.value}): {failure}"[:3000]
    return None


def _run(host: str, member: Member | None) -> None:
    found = fuzz(host, member and member.token, examples=EXAMPLES_PER_OPERATION, seed_value=SEED)
    assert found["cases"] > 0
    assert found["failures"] == [], "\n\n".join(found["failures"])


@pytest.fixture(scope="module")
def throwaway(cast, django_db_blocker) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A neighbourhood of its own for the fuzzer's writes, with the demo's people, ads,
    mediations and referrals, so lists answer with real rows. Built once for the module in a
    transaction that is rolled back at its end: each test's own transaction nests in it (a
    savepoint, rolled back after the test), so every test starts from the same rows and
    nothing is ever committed."""
    with django_db_blocker.unblock(), transaction.atomic():
        place = build_place("fuzz-wijk", theme="default")
        with tenant_context(place.neighbourhood):
            add_demo_content(place.neighbourhood)
        yield place
        transaction.set_rollback(True)


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_the_neighbourhood_api_answers_every_generated_request_as_declared(
    throwaway, who: str
) -> None:
    _run(throwaway.host, throwaway.admin if who == "admin" else None)


@pytest.mark.parametrize("who", ["anonymous", "operator"])
def test_the_platform_api_answers_every_generated_request_as_declared(cast, who: str) -> None:
    _run(PLATFORM_HOST, cast.operator if who == "operator" else None)
