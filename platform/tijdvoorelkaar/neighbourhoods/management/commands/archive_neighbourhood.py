from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import archive_neighbourhood, reopen_neighbourhood


class Command(BaseCommand):
    help = "Archive a neighbourhood (its site says it has closed; data is kept), or --reopen it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--reopen", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        neighbourhood = Neighbourhood.objects.filter(slug=options["slug"]).first()
        if neighbourhood is None:
            raise CommandError(f"No neighbourhood with slug {options['slug']!r}.")
        if options["reopen"]:
            reopen_neighbourhood(neighbourhood=neighbourhood, reopened_by=None)
        else:
            archive_neighbourhood(neighbourhood=neighbourhood, archived_by=None)
        self.stdout.write(self.style.SUCCESS(f"{neighbourhood.name}: {neighbourhood.status}."))
