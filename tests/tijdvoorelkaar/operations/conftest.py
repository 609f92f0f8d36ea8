"""Backups and restores commit: pg_dump, pg_restore and psql use their own connections. The
`committed` fixture works outside a test transaction and removes what a test made
(neighbourhoods whose slug starts with `drill-`, the jobs, the backup folder)."""

from __future__ import annotations

import pytest
from django.db import connection

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import delete_neighbourhood
from tijdvoorelkaar.operations.models import OperationJob


@pytest.fixture
def committed(cast, django_db_blocker, settings, tmp_path):  # type: ignore[no-untyped-def]
    assert connection.settings_dict["NAME"].startswith("test_"), "not the test database"
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_db_blocker.unblock():
        yield tmp_path
        connection.set_schema_to_public()
        for neighbourhood in Neighbourhood.objects.filter(slug__startswith="drill-"):
            delete_neighbourhood(neighbourhood=neighbourhood, confirm_slug=neighbourhood.slug)
        OperationJob.objects.all().delete()
