"""Create a neighbourhood from the command line, with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from tijdvoorelkaar.neighbourhoods.services import NeighbourhoodSpec, provision_neighbourhood


class Command(BaseCommand):
    help = "Create a neighbourhood: schema, domains, theme, settings, first admin's invitation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--domain",
            action="append",
            dest="domains",
            required=True,
            help="Repeat for more domains; the first is the primary one.",
        )
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="")
        parser.add_argument("--theme", default="default")
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            help="nl or en; repeat for both. The first is the default.",
        )
        parser.add_argument("--credits", action="store_true", help="Turn time credits on.")
        parser.add_argument("--credit-name", default="Roosjes")
        parser.add_argument("--reporting-year-start-month", type=int, default=7)
        parser.add_argument("--moderation", choices=["after", "before"], default="after")
        parser.add_argument("--broker-phone", default="")
        parser.add_argument("--broker-office-hours", default="")
        parser.add_argument("--broker-address", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        spec = NeighbourhoodSpec(
            name=options["name"],
            slug=options["slug"],
            domains=options["domains"],
            admin_email=options["admin_email"],
            admin_name=options["admin_name"],
            theme=options["theme"],
            languages=options["languages"] or ["nl", "en"],
            credits_enabled=options["credits"],
            credit_name=options["credit_name"],
            reporting_year_start_month=options["reporting_year_start_month"],
            moderation=options["moderation"],
            broker_phone=options["broker_phone"],
            broker_office_hours=options["broker_office_hours"],
            broker_address=options["broker_address"],
        )
        with tqdm(
            total=100, unit="%", disable=options["verbosity"] == 0, file=self.stderr._out
        ) as bar:

            def report(percent: int, step: str) -> None:
                bar.set_description(_(step))
                bar.update(percent - bar.n)

            try:
                neighbourhood = provision_neighbourhood(spec=spec, progress=report)
            except ValidationError as error:
                raise CommandError(_format_errors(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {neighbourhood.name} ({neighbourhood.schema_name}); "
                f"invitation queued for the first admin."
            )
        )


def _format_errors(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "\n".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
