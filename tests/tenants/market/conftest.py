"""Fixtures of the marketplace tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.storage import default_storage, storages


def _forget_media_root() -> None:
    # django-tenants' storage caches MEDIA_ROOT and does not reset it when a test changes the
    # setting: each test that uploads into its own tmp_path needs it forgotten.
    for storage in (default_storage._wrapped, storages["default"]):  # type: ignore[attr-defined]
        if hasattr(storage, "__dict__"):
            storage.__dict__.pop("relative_media_root", None)
            storage.__dict__.pop("relative_media_url", None)


@pytest.fixture(autouse=True)
def _fresh_media_root() -> Iterator[None]:
    _forget_media_root()
    yield
    _forget_media_root()
