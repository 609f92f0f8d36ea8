"""Tables of bounded columns stored in the row, without TOAST tables (tijdvoorelkaar/plain_rows.py;
docs/operations/benchmarks.md, "Schema footprint"): a new neighbourhood (the blueprint's replay)
has none for them; one holding rows migrates back (the TOAST tables come back, every row kept,
the widest rows too) and forward again, and ends exactly like a new one."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import tenant_context

from tenants.brokerage.models import SupportConversation
from tenants.referrals.models import Referral
from tests.support.cast import spec_for
from tests.support.factories import participant
from tests.support.schema_shape import query, shape
from tijdvoorelkaar.accounts.models import User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import delete_neighbourhood, provision_neighbourhood
from tijdvoorelkaar.plain_rows import plain_tables

BEFORE = [
    ("accounts", "0007_third_party_unqueried_indexes"),
    ("brokerage", "0005_unqueried_indexes"),
    ("referrals", "0005_natural_keys"),
]
PLAIN = {
    "accounts_user": "email, full_name, password, role",
    "django_migrations": "app, name",
    "brokerage_supportconversation": "channel, summary",
    "referrals_referral": "institution, referrer_name, reason",
}
# Stored plain by a later migration, not undone here (test_keyed_by_participant.py migrates it).
LATER = {"outreach_digestpreference"}


@pytest.fixture
def committed(cast, django_db_blocker, settings, tmp_path):  # type: ignore[no-untyped-def]
    # Migrating back and forth rewrites tables: committed, as a real migrate does.
    settings.BACKUP_DIR = tmp_path / "backups"  # the deletion's dump
    with django_db_blocker.unblock():
        yield
        for neighbourhood in Neighbourhood.objects.filter(slug__startswith="plat"):
            delete_neighbourhood(neighbourhood=neighbourhood, confirm_slug=neighbourhood.slug)


def _rows(schema: str) -> dict[str, list[tuple]]:
    return {
        table: sorted(query(f'SELECT {columns} FROM "{schema}"."{table}"', []))  # noqa: S608
        for table, columns in PLAIN.items()
    }


def _fill_to_the_brim(neighbourhood: Neighbourhood) -> None:
    """The widest rows the fields allow, in every character's widest encoding (4 bytes)."""
    wide = "\U0001f331"  # a seedling: 4 bytes in UTF-8
    with tenant_context(neighbourhood):
        User.objects.create_user(
            f"{'a' * 242}@example.org", "x", full_name=wide * 120, role="broker"
        )
        someone = participant("Plat")
        SupportConversation.objects.create(
            participant=someone,
            held_on=datetime.date(2026, 3, 2),
            channel="phone",
            summary=wide * 500,
        )
        Referral.objects.create(
            participant=someone,
            direction="in",
            referred_on=datetime.date(2026, 3, 2),
            institution=wide * 120,
            referrer_name=wide * 120,
            referrer_role=wide * 80,
            service_name=wide * 120,
            reason=wide * 200,
        )


def _toast(schema: str) -> set[str]:
    return {table for (table,) in shape(schema)["toast"]}


def test_a_neighbourhood_with_wide_rows_migrates_back_and_forward_to_a_new_ones_shape(
    committed,
) -> None:
    # given a new neighbourhood: the blueprint's replay left no TOAST table on the plain tables
    neighbourhood = provision_neighbourhood(spec=spec_for("plat"))
    schema = neighbourhood.schema_name
    new_shape = shape(schema)
    assert not _toast(schema) & set(PLAIN)
    assert {table for table, _ in plain_tables(schema)} == set(PLAIN) | LATER
    _fill_to_the_brim(neighbourhood)
    rows = _rows(schema)

    # when it migrates back to before the plain storage
    for app, migration in BEFORE:
        call_command("migrate_schemas", app, migration, schema_name=schema, verbosity=0)

    # then the tables have their TOAST tables again, with the same rows
    assert _toast(schema) - {table for (table,) in new_shape["toast"]} == set(PLAIN)
    assert {table for table, _ in plain_tables(schema)} == LATER
    back = _rows(schema)
    assert {table: back[table] for table in PLAIN if table != "django_migrations"} == {
        table: rows[table] for table in PLAIN if table != "django_migrations"
    }

    # and forward again it is exactly like a new neighbourhood, with the same rows
    call_command("migrate_schemas", schema_name=schema, verbosity=0)
    connection.set_schema_to_public()
    assert shape(schema) == new_shape
    assert _rows(schema) == rows
