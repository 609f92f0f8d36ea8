"""The main menu (`includes/nav.html`), written once per kind of menu and process.

Its template sees a `Menu` and nothing of the request: which links the visitor gets (worked
out here from their state), the offered languages and the active one. Its HTML therefore
depends only on the `Menu`, the theme (whose templates and files it uses), the URLconf and
script prefix (its links) and the language, which together are the key it is kept under.
The two things that differ per request, the CSRF token of its forms and the page to return
to after switching language, are written into the kept HTML as stand-ins and filled in for
each request: a token is never kept. The menu template cost ≈ 0.4 ms of CPU on every page."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from django.template.context import Context
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .loaders import current_theme_slug

# What the template writes where the per-request values go; no page path or token has them.
CSRF = "menu-csrf-0d3f7b"
NEXT = "menu-next-9a41c6"
_STAND_INS = re.compile(f"{CSRF}|{NEXT}")


@dataclass(frozen=True)
class Menu:
    neighbourhood: bool  # a neighbourhood's site, not the platform's
    participant: bool  # a resident signed in by a link (their ads, their way out)
    signed_in: bool  # an account
    staff: bool
    admin: bool
    operator: bool
    inbox: bool  # the console's inbox (platform only)
    csrf: bool  # the page has a CSRF token for the menu's forms
    languages: tuple[tuple[str, str], ...]  # offered: (code, name)
    language: str  # the active one
    # Not shown, but what the HTML is made with: the theme's templates, the links' URLconf.
    theme: str
    urlconf: str | None
    script_prefix: str


def menu_html(context: Context) -> SafeString:
    """The main menu for the page being rendered with `context`."""
    request = context.get("request")
    kept = _kept_html(_menu_for(context, request))

    def filled_in(found: re.Match[str]) -> str:
        if found.group() == CSRF:
            return str(context["csrf_token"])  # a lazy token: only worked out when used
        return escape(request.get_full_path()) if request is not None else ""

    return mark_safe(_STAND_INS.sub(filled_in, kept))  # noqa: S308 - the template's output


def _menu_for(context: Context, request: Any) -> Menu:
    neighbourhood = bool(context.get("neighbourhood"))
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    role = getattr(user, "role", None) if signed_in else None
    return Menu(
        neighbourhood=neighbourhood,
        participant=bool(
            neighbourhood and request is not None and request.session.get("participant_id")
        ),
        signed_in=signed_in,
        staff=signed_in and user.is_staff,
        admin=role == "admin",
        operator=role == "operator",
        inbox=bool(context.get("inbox_enabled")),
        csrf=context.get("csrf_token") is not None,
        languages=tuple(getattr(request, "offered_languages", ())),
        language=context.get("LANGUAGE_CODE", ""),
        theme=current_theme_slug(),
        urlconf=get_urlconf(),
        script_prefix=get_script_prefix(),
    )


@functools.lru_cache(maxsize=512)
def _kept_html(menu: Menu) -> str:
    """The menu's HTML with stand-ins for the CSRF token and the page to return to."""
    stand_ins = {"csrf_token": CSRF if menu.csrf else None, "next": NEXT}
    return get_template("includes/nav.html").render({"menu": menu, **stand_ins})
