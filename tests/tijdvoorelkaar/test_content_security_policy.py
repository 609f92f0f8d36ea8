"""The Content-Security-Policy header on pages, the API docs page's own allowance, and no
inline script, style or event handler in any theme's templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.support.cast import PLATFORM_HOST, client_for

pytestmark = pytest.mark.django_db

# Inline code the policy would refuse: a <script> without src, a <style> element, a style
# attribute, an on…= event handler, a javascript: address.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+\s*=|javascript:", re.IGNORECASE
)


def _policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in header.split(";") if directive)
    }


def test_pages_allow_only_the_platforms_own_scripts_and_styles(cast) -> None:
    pages = [
        (cast.a.client(), "/"),
        (cast.a.client(), "/ads/"),
        (cast.a.client(), "/accounts/login/"),
        (cast.a.client(cast.a.broker), "/broker/"),
        (client_for(PLATFORM_HOST, None, cast.operator), "/"),
    ]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = _policy(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
        assert not INLINE.search(response.content.decode()), path


def _is_mail(path: Path) -> bool:
    """HTML mails (a `mail/` folder, or `*_mail.html`) are not pages: no policy applies to
    them, and mail clients ignore stylesheets, so their styles must be inline."""
    return "mail" in path.parts or path.name.endswith("_mail.html")


def test_no_theme_template_holds_inline_script_or_style() -> None:
    found = [
        f"{path.relative_to(settings.REPO_ROOT)}: {match.group(0)}"
        for path in Path(settings.THEMES_DIR).glob("*/templates/**/*.html")
        if not _is_mail(path)
        for match in INLINE.finditer(path.read_text())
    ]
    assert found == []


def test_the_api_docs_page_loads_its_script_separately_and_may_style_inline(cast) -> None:
    client = Client(HTTP_HOST=cast.a.host)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    policy = _policy(page)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert b'<script src="/api/docs/?script="></script>' in page.content
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"/api/schema/" in script.content
    assert b'"validatorUrl": null' in script.content  # no badge from validator.swagger.io
