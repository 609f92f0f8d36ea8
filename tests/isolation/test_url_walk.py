"""Every URL of a neighbourhood, walked with the credentials of another neighbourhood.

New URL patterns are covered without new tests: the walk reads the URLconfs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.support.cast import PLATFORM_HOST, Member, client_for
from tests.support.credits import set_credits

pytestmark = pytest.mark.django_db

DUMMY_VALUES = {
    "int": "1",
    "pk": "1",
    "slug": "wijk-a",
    # fixed, not uuid4(): the test ids must be the same in every pytest-xdist worker
    "uuid": "5e1f0c7a-0000-4000-8000-000000000001",
    "str": "x",
    "path": "x",
    "uidb64": "MQ",
    "token": "x-x",
}


def _paths(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        route = prefix + _fill(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _paths(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield "/" + route


def _fill(pattern: RoutePattern | RegexPattern) -> str:
    """A concrete path for a pattern, with a plausible value for every parameter."""
    if isinstance(pattern, RegexPattern):
        regex = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: DUMMY_VALUES[m.group(1)], str(pattern))
        return regex.lstrip("^").rstrip("$")
    return re.sub(
        r"<(?:(\w+):)?(\w+)>",
        lambda m: DUMMY_VALUES.get(m.group(2)) or DUMMY_VALUES[m.group(1) or "str"],
        str(pattern),
    )


def neighbourhood_paths() -> list[str]:
    return sorted(set(_paths(get_resolver("tijdvoorelkaar.urls_neighbourhood"))))


def platform_paths() -> list[str]:
    return sorted(set(_paths(get_resolver("tijdvoorelkaar.urls_platform"))))


def test_the_walk_covers_pages_and_api() -> None:
    paths = neighbourhood_paths()
    assert "/manage/settings/" in paths and "/api/v1/staff/" in paths
    assert "/api/v1/neighbourhoods/" in platform_paths()


def _session_of(member: Member, host: str, neighbourhood) -> str:  # type: ignore[no-untyped-def]
    return client_for(host, neighbourhood, member).cookies["sessionid"].value


@pytest.mark.parametrize("path", neighbourhood_paths())
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_session_of_neighbourhood_a_is_anonymous_at_b(cast, path: str, method: str) -> None:
    session = _session_of(cast.a.admin, cast.a.host, cast.a.neighbourhood)
    client = client_for(cast.b.host)
    client.cookies["sessionid"] = session
    response = getattr(client, method)(path)
    assert response.wsgi_request.user.is_anonymous
    assert cast.a.admin.user.email.encode() not in response.content


@pytest.mark.parametrize("path", [p for p in neighbourhood_paths() if p.startswith("/api/v1/")])
@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_a_token_of_neighbourhood_a_is_refused_at_b(cast, path: str, method: str) -> None:
    # Credits on at B: its credit-only endpoints must refuse the token, not merely be absent.
    set_credits(cast.b.neighbourhood, cast.b.admin.user, credits_enabled=True)
    client = client_for(cast.b.host)
    response = getattr(client, method)(path, HTTP_AUTHORIZATION=f"Token {cast.a.admin.token}")
    # The token endpoint takes no authentication at all: without a password it is a 400.
    refused = (400, 405) if path == "/api/v1/auth/token/" else (401, 405)
    assert response.status_code in refused, (path, response.status_code)


@pytest.mark.parametrize("path", platform_paths())
def test_neighbourhood_credentials_mean_nothing_on_the_platform(cast, path: str) -> None:
    client = client_for(PLATFORM_HOST)
    client.cookies["sessionid"] = _session_of(cast.a.admin, cast.a.host, cast.a.neighbourhood)
    response = client.get(path)
    assert response.wsgi_request.user.is_anonymous
    if path.startswith("/api/v1/"):
        tokened = client.get(path, HTTP_AUTHORIZATION=f"Token {cast.a.admin.token}")
        assert tokened.status_code in (401, 405), (path, tokened.status_code)


def test_the_same_session_and_token_do_work_where_they_were_made(cast) -> None:
    # The control for the walk above: these credentials are valid, just not elsewhere.
    client = cast.a.client(cast.a.admin)
    assert client.get("/manage/settings/").status_code == 200
    api = client_for(cast.a.host)
    response = api.get("/api/v1/staff/", HTTP_AUTHORIZATION=f"Token {cast.a.admin.token}")
    assert response.status_code == 200
