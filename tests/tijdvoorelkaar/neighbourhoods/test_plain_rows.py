"""Tables of bounded columns stored in the row, without TOAST tables (tijdvoorelkaar/plain_rows.py;
docs/adr/0013; docs/operations/benchmarks.md, "Schema footprint"): the widest row each such table
allows fits a heap page, computed from the catalog as PostgreSQL lays a row out and stored for
real; a new neighbourhood (the blueprint's replay) has no TOAST table for them; one holding the
widest rows migrates back (the TOAST tables come back, every row kept) and forward again, and
ends exactly like a new one."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.brokerage.models import SupportConversation
from tenants.credits.models import Offer
from tenants.market.models import Report, Response
from tenants.organisations.models import Organisation
from tenants.outreach.models import MAX_CHOSEN, DigestPreference
from tenants.people.models import Participant
from tenants.referrals.models import GroupVisit, Referral
from tenants.surveys.models import SurveyAnswer
from tests.support.cast import spec_for
from tests.support.factories import participant, published_ad
from tests.support.schema_shape import query, shape
from tijdvoorelkaar.accounts.models import User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import delete_neighbourhood, provision_neighbourhood
from tijdvoorelkaar.plain_rows import plain_tables

BEFORE = [
    ("accounts", "0007_third_party_unqueried_indexes"),
    ("brokerage", "0005_unqueried_indexes"),
    ("referrals", "0005_natural_keys"),
    ("market", "0008_search_over_live_ads"),
    ("surveys", "0004_unqueried_indexes"),
    ("credits", "0007_one_index_per_participant_account"),
]
PLAIN = {
    "accounts_user": "email, full_name, password, role",
    "django_migrations": "app, name",
    "brokerage_supportconversation": "channel, summary",
    "referrals_referral": "institution, referrer_name, reason",
    "market_report": "reason, explanation, outcome",
    "market_response": "message",
    "referrals_groupvisit": "group_name, note",
    "surveys_surveyanswer": "occasion, channel, remark",
    "credits_offer": "title, description, price",
}
# Stored plain by a later migration, not undone here (test_keyed_by_participant.py migrates it).
LATER = {"outreach_digestpreference"}
# Arrays bounded by a check constraint (digest_choice_bounded), not by their type: (table,
# column) and the most elements it allows.
BOUNDED_ARRAYS = {
    ("outreach_digestpreference", "sub_area_ids"): MAX_CHOSEN,
    ("outreach_digestpreference", "category_ids"): MAX_CHOSEN,
}


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
        broker = User.objects.create_user(
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
        _fill_the_bounded_text_to_the_brim(someone, broker, wide)
        widest = list(range(2**62, 2**62 + MAX_CHOSEN))
        DigestPreference.objects.create(
            participant=someone, frequency="monthly", sub_area_ids=widest, category_ids=widest
        )
        Offer.objects.create(
            provider=Organisation.objects.create(name="Plat"),
            title=wide * 100,
            description=wide * 1000,
            price=Decimal("9999999.75"),
        )


def _fill_the_bounded_text_to_the_brim(someone: Participant, staff: User, wide: str) -> None:
    # Every column at its widest, the choices too: the column allows it, so the page must.
    now = timezone.now()
    ad = published_ad(email="plat@example.org")
    Response.objects.create(
        ad=ad,
        responder=someone,
        message=wide * 2000,
        relayed_at=now,
        held_for_broker=True,
        seen_by_broker_at=now,
        owner_replied_at=now,
    )
    Report.objects.create(
        ad=ad,
        reason=wide * 20,
        explanation=wide * 1000,
        handled_at=now,
        handled_by=staff,
        outcome=wide * 10,
    )
    GroupVisit.objects.create(
        visited_on=datetime.date(2026, 3, 2),
        group_name=wide * 120,
        reached=2**31 - 1,
        note=wide * 1000,
        created_by=staff,
    )
    SurveyAnswer.objects.create(
        answered_on=datetime.date(2026, 3, 2),
        occasion=wide * 12,
        channel=wide * 8,
        satisfied_exchange=True,
        satisfied_broker=True,
        neighbours=2,
        lasting_contact=True,
        remark=wide * 2000,
    )


# How PostgreSQL lays out a heap row (src/include/access/htup_details.h, storage/bufpage.h): a
# 23-byte header and a null bitmap of one bit per column (dropped ones too), aligned to 8; then
# each column at its type's alignment, a varlena with a 4-byte length word when it is this long.
# A row must fit a page less the page's header and the row's line pointer: MaxHeapTupleSize.
MAXALIGN = 8
ALIGNMENT = {"c": 1, "s": 2, "i": 4, "d": 8}
TUPLE_HEADER = 23
VARHDRSZ = 4
BYTES_A_CHARACTER = 4  # UTF-8's longest: what PostgreSQL counts for a varchar(n)


def _aligned(offset: int, alignment: int) -> int:
    return -(-offset // alignment) * alignment


def _maximum_size(type_name: str, length: int, typmod: int) -> int | None:
    """A column's widest value in bytes, as PostgreSQL's type_maximum_size() computes it; None
    for a type without a bound (text, jsonb, a varchar without a length)."""
    if length > 0:  # fixed width
        return length
    if type_name in ("varchar", "bpchar") and typmod >= VARHDRSZ:  # typmod: n + VARHDRSZ
        return (typmod - VARHDRSZ) * BYTES_A_CHARACTER + VARHDRSZ
    if type_name == "numeric" and typmod >= VARHDRSZ:  # numeric_maximum_size()
        precision = (typmod - VARHDRSZ) >> 16
        digits = (precision + 2 * (4 - 1)) // 4  # base-10000 digits, the first maybe of one
        return VARHDRSZ + 2 + 2 + digits * 2  # length, sign and scale, weight, the digits
    return None


def _array_size(elements: int, width: int = 8) -> int:
    # ArrayType (utils/array.h): length word, ndim, data offset, element type, then each
    # dimension's length and lower bound; a null bitmap if any; the data aligned to 8.
    return _aligned(4 * 4 + 2 * 4 + (elements + 7) // 8, MAXALIGN) + elements * width


def widest_row(schema: str, table: str) -> int:
    """The widest row `table` allows, in bytes on the page (a null bitmap counted, every value
    at its widest, every column aligned), from the catalog."""
    columns = query(
        "SELECT a.attname, a.attisdropped, a.attlen, a.attalign, t.typname, a.atttypmod"
        " FROM pg_attribute a LEFT JOIN pg_type t ON t.oid = a.atttypid"
        " WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 ORDER BY a.attnum",
        [f'"{schema}"."{table}"'],
    )
    data = 0
    for name, dropped, length, alignment, type_name, typmod in columns:
        if dropped:  # a null in every row written since
            continue
        bound = BOUNDED_ARRAYS.get((table, name))
        size = _maximum_size(type_name, length, typmod) if bound is None else _array_size(bound)
        assert size is not None, f"{table}.{name} ({type_name}) has no widest value"
        data = _aligned(data, ALIGNMENT[alignment]) + size
    header = _aligned(TUPLE_HEADER + (len(columns) + 7) // 8, MAXALIGN)
    return _aligned(header + data, MAXALIGN)


def _max_heap_tuple_size() -> int:
    # the page less its header (24 bytes) and one line pointer (4), aligned: 8160 for 8 kB
    [(block_size,)] = query("SELECT current_setting('block_size')::int", [])
    return block_size - _aligned(24 + 4, MAXALIGN)


def _largest_stored_row(schema: str, table: str) -> int:
    # a whole row's pg_column_size is its tuple as stored: header, bitmap, aligned values
    sql = f'SELECT max(pg_column_size(t.*)) FROM "{schema}"."{table}" t'  # noqa: S608
    return query(sql, [])[0][0]


@pytest.mark.django_db
def test_the_widest_row_of_every_plain_table_fits_a_page_and_is_stored(cast) -> None:
    # given the tables a neighbourhood stores plain, and the widest row each allows
    schema = cast.a.neighbourhood.schema_name
    tables = [table for table, _ in plain_tables(schema)]
    assert set(tables) == set(PLAIN) | LATER
    limit = _max_heap_tuple_size()
    widest = {table: widest_row(schema, table) for table in tables}
    for table, size in widest.items():
        print(f"\n{table}: widest row {size} of {limit} bytes, {limit - size} to spare", end="")

    # then each fits a page: no row the columns allow is refused for its size
    assert {table: size for table, size in widest.items() if size > limit} == {}

    # and the widest rows, stored for real, are no wider than computed
    _fill_to_the_brim(cast.a.neighbourhood)
    stored = {table: _largest_stored_row(schema, table) for table in tables}
    assert all(stored[table] <= widest[table] for table in tables), (stored, widest)
    # within a null bitmap and the alignments of it (the computation is not loose)
    assert widest["market_response"] - stored["market_response"] <= 2 * MAXALIGN
    assert widest["surveys_surveyanswer"] - stored["surveys_surveyanswer"] <= 2 * MAXALIGN


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
