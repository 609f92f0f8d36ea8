"""Keys from one sequence per schema (docs/adr/0010-one-id-sequence-per-schema.md): a new
neighbourhood has it, and one made before it, holding rows, migrates onto it and back without
ever handing out a key twice, ending exactly like a new one."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django_tenants.utils import tenant_context

from tenants.market.models import Category
from tests.support.cast import spec_for
from tests.support.factories import participant, published_ad
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import delete_neighbourhood, provision_neighbourhood
from tijdvoorelkaar.schema_ids import SEQUENCE, SchemaId

# Tables that keep a sequence of their own, and why (the ADR): numbers people read.
OWN_SEQUENCE = {"market_ad"}  # the ad number on posters and on the phone


def _relations(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relkind FROM pg_class WHERE relnamespace = to_regnamespace(%s)",
            [schema],
        )
        return set(cursor.fetchall())


def _defaults(schema: str) -> set[tuple[str, str]]:
    """(table, where its key comes from) for every key filled by the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, CASE WHEN a.attidentity <> '' THEN 'identity'"
            " ELSE pg_get_expr(d.adbin, d.adrelid) END"
            " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum"
            " WHERE c.relnamespace = to_regnamespace(%s) AND a.attname = 'id' AND c.relkind = 'r'",
            [schema],
        )
        return {(table, source.replace(f"{schema}.", "")) for table, source in cursor.fetchall()}


def _largest_key(schema: str) -> int:
    """The largest key of the tables that share the schema's sequence."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(format('SELECT max(id) FROM %%I.%%I', %s, c.relname), ' UNION ALL ')"
            " FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'id'"
            " WHERE c.relnamespace = to_regnamespace(%s) AND c.relkind = 'r'"
            " AND c.relname <> ALL (%s)",
            [schema, schema, sorted(OWN_SEQUENCE)],
        )
        (union,) = cursor.fetchone()
        cursor.execute(f"SELECT max(max) FROM ({union}) keys")  # noqa: S608 (names from pg_class)
        return cursor.fetchone()[0]


@pytest.fixture
def committed(cast, django_db_blocker, settings, tmp_path):  # type: ignore[no-untyped-def]
    # Migrating back and forth alters tables that rows of the same transaction would still
    # have key checks pending on: this works committed, as a real migrate does.
    settings.BACKUP_DIR = tmp_path / "backups"  # the deletion's dump
    with django_db_blocker.unblock():
        yield
        for neighbourhood in Neighbourhood.objects.filter(slug__startswith="vanouds"):
            delete_neighbourhood(neighbourhood=neighbourhood, confirm_slug=neighbourhood.slug)


@pytest.mark.django_db
def test_every_table_of_ours_takes_its_key_from_the_schemas_sequence(cast) -> None:
    schema = cast.a.neighbourhood.schema_name
    expected = f"nextval('{SEQUENCE}'::regclass)"
    sources = _defaults(schema)
    assert {table for table, source in sources if source != expected} == OWN_SEQUENCE
    assert len(sources) > 40  # the rest are keyed by their own columns (ADR 0011)
    ours = [m for m in apps.get_models() if m._meta.app_config.name.startswith("tenants.")]
    keys = {type(m._meta.pk) for m in ours if m._meta.db_table not in OWN_SEQUENCE}
    # or keys made of the row's own columns (docs/adr/0011): no sequence at all
    assert keys <= {SchemaId, models.CompositePrimaryKey, models.OneToOneField, models.CharField}


def test_a_neighbourhood_made_before_moves_onto_the_sequence_and_back(committed) -> None:
    # given a neighbourhood, migrated back to before the schema's sequence, with rows
    neighbourhood = provision_neighbourhood(spec=spec_for("vanouds"))
    schema = neighbourhood.schema_name
    new_shape, new_defaults = _relations(schema), _defaults(schema)
    call_command(
        "migrate_schemas", "accounts", "0004_fewer_indexes", schema_name=schema, verbosity=0
    )
    assert (SEQUENCE, "S") not in _relations(schema)
    assert {source for _, source in _defaults(schema)} == {"identity"}
    with tenant_context(neighbourhood):
        # the seeded categories' keys came from the shared sequence: an identity must pass them
        category = Category.objects.create(name="Na terug", slug="na-terug")
        ad = published_ad()
        participant("Oud")
    before = _largest_key(schema)
    assert category.pk <= before

    # when it migrates forward
    call_command("migrate_schemas", schema_name=schema, verbosity=0)

    # then it is exactly like a new one, and the sequence is past every key it had
    assert _relations(schema) == new_shape
    assert _defaults(schema) == new_defaults
    with tenant_context(neighbourhood):
        later = participant("Nieuw")
        assert later.pk > before
        assert published_ad(title="Nog een").pk == ad.pk + 1  # the ad number counts ads only
