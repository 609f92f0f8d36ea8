"""The demo shows what production shows: DEBUG off, unless a developer asks with --debug."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.core.management import call_command, load_command_class

from tijdvoorelkaar.quickstart.management.commands import demo
from tijdvoorelkaar.quickstart.management.commands.demo import demo_settings_module


def _settings_of_demo(*arguments: str):  # type: ignore[no-untyped-def]
    command = load_command_class("tijdvoorelkaar.quickstart", "demo")
    options = command.create_parser("manage.py", "demo").parse_args(list(arguments))
    return importlib.import_module(demo_settings_module(debug=options.debug))


def test_the_demo_runs_with_debug_off() -> None:
    demo = _settings_of_demo()
    assert demo.DEBUG is False
    assert demo.ALLOWED_HOSTS == ["*"]  # the demo's *.localhost hosts, by the Domain table
    assert demo.WHITENOISE_USE_FINDERS is True  # static files without collectstatic
    assert demo.SERVE_MEDIA is True
    assert demo.MAIL_INBOX_ENABLED is True


def test_debug_is_on_only_when_asked_for() -> None:
    debug = _settings_of_demo("--debug")
    assert debug.DEBUG is True
    assert debug.SERVE_MEDIA is True  # otherwise the same demo


def test_links_in_the_demos_own_mails_name_the_port_it_serves_on(monkeypatch) -> None:
    # The demo writes its newsletter and invitations before web and worker start: a link
    # made then must name --port, not the settings' default (a mail said :8000 on 8011).
    ports_seen = []

    def ensure_demo(port: str) -> list:
        ports_seen.append(settings.SITE_PORT)
        return []

    monkeypatch.setattr(demo, "call_command", lambda *args, **kwargs: None)
    monkeypatch.setattr(demo, "ensure_demo", ensure_demo)
    call_command("demo", "--port", "8123", "--no-serve")
    assert ports_seen == ["8123"]
