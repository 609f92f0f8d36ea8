"""The worker's processes reach the session's test database, never the real one.

(Marked django_db as well: pytest-django sets the test database up only when a selected test
is, so `-m worker` alone also runs on it.)
"""

from __future__ import annotations

import dj_database_url
import pytest
from django.db import connection

from tests.support.processes import database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db]


def test_the_workers_database_url_names_this_sessions_test_database() -> None:
    parsed = dj_database_url.parse(database_url())
    assert parsed["NAME"] == connection.settings_dict["NAME"]
    assert parsed["NAME"].startswith("test_")
    for key in ("HOST", "PORT", "USER", "PASSWORD"):
        assert str(parsed[key] or "") == str(connection.settings_dict[key] or "")
