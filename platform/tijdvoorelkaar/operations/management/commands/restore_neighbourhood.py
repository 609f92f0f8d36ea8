from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tijdvoorelkaar.operations.backups import BackupError, latest_backup, read_backup
from tijdvoorelkaar.operations.restoring import restore_neighbourhood


class Command(BaseCommand):
    help = (
        "Restore a neighbourhood from a backup folder, a deletion's dump, or the newest backup "
        "of a slug: under its own slug once the original is gone (or over it with --replace), "
        "or under --as to inspect a copy (archived)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "source", help="a backup folder, a deletion's .dump, or a slug (its newest backup)"
        )
        parser.add_argument("--as", dest="slug", help="restore under this slug instead")
        parser.add_argument("--domain", action="append", dest="domains", help="host name(s)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the live neighbourhood of that slug (a backup of it is written first)",
        )

    def handle(self, *args: Any, source: str, slug: str | None, **options: Any) -> None:
        try:
            path = Path(source)
            backup = read_backup(path) if path.exists() else latest_backup(source)
            if backup is None:
                raise CommandError(f"No backup at {source!r} nor of a neighbourhood {source!r}.")
            restored = restore_neighbourhood(
                backup=backup, slug=slug, domains=options["domains"], replace=options["replace"]
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{restored.slug} ({restored.schema_name}, {restored.status})")
