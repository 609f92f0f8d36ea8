"""The main menu is written once per kind of menu and kept (theming/menu.py): what one
visitor's menu holds never reaches another's, and each gets their own CSRF token and page to
return to."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.support.cast import PLATFORM_HOST, client_for

pytestmark = pytest.mark.django_db

ADMIN_LINK = 'href="/manage/settings/"'
WORKSPACE_LINK = 'href="/broker/"'
LOG_OUT = 'action="/accounts/logout/"'
LOG_IN = 'href="/accounts/login/"'


def _page_and_menu(client: Client, path: str) -> tuple[str, str]:
    html = client.get(path).content.decode()
    found = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert found, html[:200]
    return html, found.group(0)


def test_staff_menus_kept_for_one_visitor_do_not_reach_the_next(cast) -> None:
    _html, admin = _page_and_menu(cast.a.client(cast.a.admin), "/")
    _html, broker = _page_and_menu(cast.a.client(cast.a.broker), "/")
    _html, anonymous = _page_and_menu(cast.a.client(), "/")

    assert ADMIN_LINK in admin and WORKSPACE_LINK in admin and LOG_OUT in admin
    assert ADMIN_LINK not in broker and WORKSPACE_LINK in broker and LOG_OUT in broker
    for link in (ADMIN_LINK, WORKSPACE_LINK, LOG_OUT):
        assert link not in anonymous
    assert LOG_IN in anonymous


def test_the_operator_gets_the_console_menu_on_the_platform(cast) -> None:
    _html, operator = _page_and_menu(client_for(PLATFORM_HOST, None, cast.operator), "/")
    _html, anonymous = _page_and_menu(client_for(PLATFORM_HOST), "/accounts/login/")

    assert 'href="/neighbourhoods/new/"' in operator and LOG_OUT in operator
    assert 'href="/neighbourhoods/new/"' not in anonymous and LOG_OUT not in anonymous


def test_each_visitor_gets_their_own_token_and_page_to_return_to(cast) -> None:
    first, second = (Client(HTTP_HOST=cast.a.host, enforce_csrf_checks=True) for _ in range(2))
    html, menu = _page_and_menu(first, "/ads/?q=tuin&kind=offer")
    other_html, other_menu = _page_and_menu(second, "/ads/?page=2")

    token, other_token = (
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', m).group(1)
        for m in (menu, other_menu)
    )
    assert f'"X-CSRFToken": "{token}"' in html  # the page's own token, not a kept one
    assert f'"X-CSRFToken": "{other_token}"' in other_html
    assert 'name="next" type="hidden" value="/ads/?q=tuin&amp;kind=offer"' in menu
    assert 'name="next" type="hidden" value="/ads/?page=2"' in other_menu

    def switch(client: Client, with_token: str) -> int:
        form = {"language": "en", "next": "/ads/", "csrfmiddlewaretoken": with_token}
        return client.post("/i18n/setlang/", form).status_code

    assert switch(first, other_token) == 403  # another visitor's token is not first's
    assert switch(first, token) == 302


KEPT_MENU_MAY_READ = {"menu", "next", "csrf_token"}  # what tijdvoorelkaar/theming/menu.py gives
_EXPRESSION = re.compile(r"{{(.*?)}}|{%\s*(?:if|elif|for|with)\s(.*?)%}", re.S)
_WORDS = {"and", "or", "not", "in", "is", "None", "True", "False"}


def _roots_read(source: str) -> set[str]:
    """The names a template reads (`x` of `x.y|f:"z"`), less its own loop variables."""
    source = re.sub(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", source, flags=re.S)
    roots, own = set(), set()
    for printed, tag in _EXPRESSION.findall(source):
        expression = re.sub(r"\"[^\"]*\"|'[^']*'", "", printed or tag)
        expression = re.sub(r"\|\w+(:\S+)?", "", expression)  # filters and their arguments
        if tag and " in " in f" {tag} " and tag.lstrip().split()[0] != "not":
            loop_names, _, expression = expression.partition(" in ")
            own |= set(re.findall(r"\w+", loop_names))
        roots |= {name.split(".")[0] for name in re.findall(r"[A-Za-z_][\w.]*", expression)}
    return roots - own - _WORDS


def test_every_themes_main_menu_reads_only_what_the_kept_menu_gives() -> None:
    # The menu's HTML is kept and served to every visitor of its kind: a theme's nav.html
    # that read the user, the request or the neighbourhood would show one visitor's to another.
    from django.conf import settings

    menus = sorted(settings.THEMES_DIR.glob("*/templates/includes/nav.html"))
    assert menus, "no theme has a main menu"
    for path in menus:
        assert _roots_read(path.read_text()) <= KEPT_MENU_MAY_READ, path


def test_the_menu_check_sees_a_name_read_from_the_request() -> None:
    assert _roots_read("{% if user.is_staff %}x{% endif %}{{ request.path }}") == {
        "user",
        "request",
    }
    assert _roots_read("{% for code, name in menu.languages %}{{ code }}{% endfor %}") == {"menu"}
