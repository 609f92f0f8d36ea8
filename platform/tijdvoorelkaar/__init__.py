"""TijdVoorElkaar: one deployment hosting many neighbourhoods."""

from .celery import app as celery_app

__all__ = ("celery_app",)
