"""Create many neighbourhoods in a row from a JSON file (a list of what the API's create takes)."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from tijdvoorelkaar.neighbourhoods.bulk import MAX_BATCH, provision_neighbourhoods
from tijdvoorelkaar.neighbourhoods.services import NeighbourhoodSpec

from .provision_neighbourhood import _format_errors

FIELDS = {f.name for f in dataclasses.fields(NeighbourhoodSpec)}


class Command(BaseCommand):
    help = (
        "Create many neighbourhoods from a JSON file: a list of objects with the fields of"
        f" `provision_neighbourhood` (name, slug, domains, admin_email, ...); at most {MAX_BATCH}."
        " Builds the spare schemas they need first, then creates each from one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="JSON file; - reads standard input.")

    def handle(self, *args: Any, **options: Any) -> None:
        specs = [_spec(entry, index) for index, entry in enumerate(_read(options["file"]), 1)]
        started = time.perf_counter()
        with tqdm(
            total=len(specs), unit="nb", disable=options["verbosity"] == 0, file=self.stderr._out
        ) as bar:

            def report(done: int, _total: int, slug: str) -> None:
                bar.set_description(slug)
                bar.update(done - bar.n)

            try:
                made = provision_neighbourhoods(specs=specs, progress=report)
            except ValidationError as error:
                raise CommandError(_format_errors(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(made)} neighbourhoods in {time.perf_counter() - started:.1f} s;"
                " invitations queued for their first admins."
            )
        )


def _read(path: Path) -> list[Any]:
    import sys

    try:
        data = json.load(sys.stdin) if str(path) == "-" else json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise CommandError(f"Cannot read {path}: {error}") from error
    if not isinstance(data, list):
        raise CommandError("The file must hold a JSON list of neighbourhoods.")
    return data


def _spec(entry: Any, index: int) -> NeighbourhoodSpec:
    if not isinstance(entry, dict):
        raise CommandError(f"#{index}: not an object.")
    unknown = set(entry) - FIELDS
    missing = {"name", "slug", "domains", "admin_email"} - set(entry)
    if unknown or missing:
        raise CommandError(
            f"#{index}: "
            + "; ".join(
                part
                for part in (
                    f"unknown fields {sorted(unknown)}" if unknown else "",
                    f"missing {sorted(missing)}" if missing else "",
                )
                if part
            )
        )
    return NeighbourhoodSpec(**entry)
