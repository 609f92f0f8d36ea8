"""The menu's links, reversed once per process, are those of `{% url %}` under each URLconf
(a neighbourhood's and the platform's) and script prefix."""

from __future__ import annotations

from django.template import Context, Template
from django.urls import set_script_prefix, set_urlconf

from tijdvoorelkaar.theming.templatetags.theme import menu_url

NAMES = {
    "tijdvoorelkaar.urls_neighbourhood": ["home:home", "market:list", "accounts:login"],
    "tijdvoorelkaar.urls_platform": ["console:dashboard", "accounts:login"],
}


def _url_tag(name: str) -> str:
    return Template(f"{{% url '{name}' %}}").render(Context())


def test_menu_links_are_those_of_the_url_tag_per_urlconf_and_prefix() -> None:
    try:
        for prefix in ("/", "/sub/"):
            set_script_prefix(prefix)
            for urlconf, names in NAMES.items():
                set_urlconf(urlconf)
                for name in names:
                    assert menu_url(name) == _url_tag(name)
                    assert menu_url(name).startswith(prefix)
    finally:
        set_urlconf(None)
        set_script_prefix("/")
