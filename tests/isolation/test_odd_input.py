"""Odd input never makes a page or endpoint fail: every GET URL of the neighbourhood URLconf,
with query strings that are not numbers, not dates, very long, unicode or with a NUL byte,
anonymously and as a broker (residents reach no more than anonymous visitors).
4xx is fine; a 500 (or an exception) is not.

New URL patterns are covered without new tests: the walk reads the URLconf.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.isolation.test_url_walk import neighbourhood_paths

pytestmark = pytest.mark.django_db

# Every query parameter a view or filter form of the neighbourhood reads (and some it may).
KEYS = (
    "ad ads participant sub_area kind status category organisation q member_q next "
    "until after by current saved step file_format due_by direction confirm action actor "
    "active inactive channel held_on started_from started_to summary topic week month year "
    "from to date"
).split()

ODD_VALUES = {
    "not-a-number": "abc",
    "huge-number": "9" * 30,
    "digit-but-not-decimal": "²",  # str.isdigit() is True, int() fails
    "unicode-and-long": "Zoë’s 🚲 " * 300,
    "nul-byte": "a\x00b",
}
# A bad page number answers before the other parameters are used, so it is sent on its own.
QUERIES = {
    name: urlencode([(key, value) for key in KEYS] + [("ads", value)])
    for name, value in ODD_VALUES.items()
}
QUERIES["page"] = urlencode({"page": "abc"})


GET_PATHS = [
    path
    for path in neighbourhood_paths()
    if not path.startswith(("/api/schema/", "/api/docs/", "/i18n/", "/accounts/logout"))
]
# Ids that do not fit a bigint must 404, not fail in the database.
GET_PATHS += sorted(
    {p.replace("/1/", "/" + "9" * 25 + "/") for p in GET_PATHS if "/1/" in p} - set(GET_PATHS)
)


@pytest.mark.parametrize("path", GET_PATHS)
def test_odd_query_strings_never_fail(cast, path: str) -> None:
    place = cast.a
    failures = []
    for who in (None, place.broker):
        client = place.client(who)
        client.raise_request_exception = False
        for name, query in QUERIES.items():
            response = client.get(f"{path}?{query}")
            if response.status_code >= 500:
                failures.append((who and who.user.role, name, response.status_code))
    assert failures == [], (path, failures)
