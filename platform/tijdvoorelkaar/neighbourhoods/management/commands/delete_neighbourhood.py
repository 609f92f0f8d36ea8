from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import BackupFailed, delete_neighbourhood


class Command(BaseCommand):
    help = "Delete a neighbourhood after writing a pg_dump of its schema to BACKUP_DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument(
            "--confirm",
            required=True,
            metavar="SLUG",
            help="Repeat the slug to confirm the deletion.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        neighbourhood = Neighbourhood.objects.filter(slug=options["slug"]).first()
        if neighbourhood is None:
            raise CommandError(f"No neighbourhood with slug {options['slug']!r}.")
        try:
            backup = delete_neighbourhood(
                neighbourhood=neighbourhood, confirm_slug=options["confirm"]
            )
        except ValidationError as error:
            raise CommandError(f"--confirm: {' '.join(error.messages)}") from error
        except BackupFailed as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Deleted; the schema was saved to {backup}."))
