"""The demo shows what production shows: DEBUG off, unless a developer asks with --debug."""

from __future__ import annotations

import importlib

from django.core.management import load_command_class

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
