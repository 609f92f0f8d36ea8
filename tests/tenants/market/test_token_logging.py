"""Link tokens in paths never reach a log line (Django logs the path of every 4xx)."""

from __future__ import annotations

import logging

import pytest
from django_tenants.utils import tenant_context

from tenants.market.redaction import redact

pytestmark = pytest.mark.django_db

TOKEN = "Zx9" * 12


@pytest.mark.parametrize(
    "path",
    [
        f"/responses/{TOKEN}/reply/",
        f"/outcome/{TOKEN}/yes/",
        f"/api/v1/replies/{TOKEN}/",
        f"/api/v1/outcomes/{TOKEN}/",
    ],
)
def test_a_refused_link_is_logged_without_its_token(cast, caplog, path: str) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood), caplog.at_level(logging.WARNING):
        response = client.get(path)
    assert response.status_code >= 400
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "[token]" in logged and TOKEN not in logged


def test_redaction_keeps_paths_without_tokens() -> None:
    assert redact("Not Found: /ads/confirm/") == "Not Found: /ads/confirm/"
    assert redact("Not Found: /ads/sign-in/confirm/") == "Not Found: /ads/sign-in/confirm/"
    assert redact(f'"GET /ads/confirm/{TOKEN}/ HTTP/1.1" 302') == (
        '"GET /ads/confirm/[token]/ HTTP/1.1" 302'
    )
