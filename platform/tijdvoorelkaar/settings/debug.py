"""The demo for developers (`manage.py demo --debug`): the local settings with DEBUG on."""

from .local import *  # noqa: F403

DEBUG = True
