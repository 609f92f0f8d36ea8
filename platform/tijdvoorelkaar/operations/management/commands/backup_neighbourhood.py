from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.operations.backups import BackupError, backup_neighbourhood


class Command(BaseCommand):
    help = "Back up one neighbourhood (schema dump, registry rows, photos) into BACKUP_DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")

    def handle(self, *args: Any, slug: str, **options: Any) -> None:
        neighbourhood = Neighbourhood.objects.filter(slug=slug).first()
        if neighbourhood is None:
            raise CommandError(f"No neighbourhood {slug!r}.")
        try:
            backup = backup_neighbourhood(neighbourhood=neighbourhood)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(backup.folder))
