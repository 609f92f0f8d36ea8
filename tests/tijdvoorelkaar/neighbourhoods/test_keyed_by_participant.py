"""A participant's trajectory and digest preference keyed by the participant (docs/adr/0011),
the digest's choices in the preference's row instead of two join tables: a neighbourhood
holding trajectories, moves, their audit entries and digest choices migrates back (an `id` of
their own, the join tables) and forward again, keeps every row and what it refers to, and ends
exactly like a new neighbourhood."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context, tenant_context

from tenants.brokerage.models import RoutingStep
from tenants.brokerage.services import move_trajectory, start_trajectory
from tenants.market.models import Category
from tenants.outreach.digest import set_digest_preference
from tenants.people.models import SubArea
from tests.support.cast import spec_for
from tests.support.factories import participant
from tests.support.schema_shape import query, shape
from tijdvoorelkaar.accounts.models import User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import delete_neighbourhood, provision_neighbourhood
from tijdvoorelkaar.plain_rows import plain_tables

BEFORE = [("brokerage", "0006_plain_rows"), ("outreach", "0006_natural_keys")]
# What the rows say, by participant, in either shape: (now, before).
TRAJECTORIES = "SELECT participant_id, step_id, moved_at FROM brokerage_trajectory"
MOVES = (
    "SELECT trajectory_id, from_step_id, to_step_id, at FROM brokerage_trajectorymove",
    "SELECT t.participant_id, m.from_step_id, m.to_step_id, m.at FROM brokerage_trajectorymove m"
    " JOIN brokerage_trajectory t ON t.id = m.trajectory_id",
)
AUDITED = (
    "SELECT action, target_id FROM audit_auditevent WHERE target_type = 'brokerage.trajectory'",
    "SELECT a.action, t.participant_id::text FROM audit_auditevent a"
    " JOIN brokerage_trajectory t ON a.target_id = t.id::text"
    " WHERE a.target_type = 'brokerage.trajectory'",
)
CHOICES = (
    "SELECT participant_id, frequency, sub_area_ids, category_ids FROM outreach_digestpreference",
    "SELECT p.participant_id, p.frequency,"
    " ARRAY(SELECT subarea_id FROM outreach_digestpreference_sub_areas j"
    " WHERE j.digestpreference_id = p.id ORDER BY 1),"
    " ARRAY(SELECT category_id FROM outreach_digestpreference_categories j"
    " WHERE j.digestpreference_id = p.id ORDER BY 1)"
    " FROM outreach_digestpreference p",
)


@pytest.fixture
def committed(cast, django_db_blocker, settings, tmp_path):  # type: ignore[no-untyped-def]
    # Migrating back and forth alters tables: committed, as a real migrate does.
    settings.BACKUP_DIR = tmp_path / "backups"  # the deletion's dump
    with django_db_blocker.unblock():
        yield
        for neighbourhood in Neighbourhood.objects.filter(slug__startswith="sleutel"):
            delete_neighbourhood(neighbourhood=neighbourhood, confirm_slug=neighbourhood.slug)


def _fill(neighbourhood: Neighbourhood) -> None:
    """Trajectories with moves and audit entries, and digest choices (through the services)."""
    with tenant_context(neighbourhood):
        broker = User.objects.order_by("pk").first()  # the first admin
        steps = list(RoutingStep.objects.order_by("position"))
        one, two, three = participant("Een"), participant("Twee"), participant("Drie")
        start_trajectory(participant=one, by=broker)
        move_trajectory(participant=one, to_step=steps[1], by=broker)
        move_trajectory(participant=two, to_step=steps[2], by=broker)
        north, south = SubArea.objects.create(name="Noord"), SubArea.objects.create(name="Zuid")
        first, second = Category.objects.order_by("pk")[:2]
        choose = set_digest_preference
        choose(participant=one, frequency="never", sub_areas=[south, north], by=broker)
        choose(participant=two, frequency="never", categories=[second, first], by=broker)
        choose(participant=three, frequency="never", by=None)


def _rows(schema: str, *, now: bool = True) -> dict[str, list[tuple]]:
    def rows(sql: str) -> list[tuple]:
        with schema_context(schema):
            return sorted(query(sql, []), key=repr)  # a first move has no from_step

    which = 0 if now else 1
    return {
        "trajectories": rows(TRAJECTORIES),
        "moves": rows(MOVES[which]),
        "audited": rows(AUDITED[which]),
        "choices": rows(CHOICES[which]),
    }


def test_a_neighbourhood_with_trajectories_and_digest_choices_migrates_back_and_forward(
    committed,
) -> None:
    # given a new neighbourhood with trajectories, moves and digest choices
    neighbourhood = provision_neighbourhood(spec=spec_for("sleutel"))
    schema = neighbourhood.schema_name
    new_shape = shape(schema)
    assert "outreach_digestpreference" in {table for table, _ in plain_tables(schema)}
    _fill(neighbourhood)
    rows = _rows(schema)
    assert [len(found) for found in rows.values()] == [2, 3, 3, 3]
    assert [(len(areas), len(categories)) for _, _, areas, categories in rows["choices"]] == [
        (2, 0),
        (0, 2),
        (0, 0),
    ]

    # when it migrates back to before
    for app, migration in BEFORE:
        call_command("migrate_schemas", app, migration, schema_name=schema, verbosity=0)

    # then trajectory and preference have an `id` again, the choices their join tables, and
    # every move and audit entry names the same participant's trajectory
    old_shape = shape(schema)
    assert {name for name, _ in old_shape["relations"] - new_shape["relations"]} == {
        "brokerage_trajectory_participant_id_key",
        "outreach_digestpreference_participant_id_key",
        "outreach_digestpreference_categories",
        "outreach_digestpreference_categories_pkey",
        "outreach_digestpreference_sub_areas",
        "outreach_digestpreference_sub_areas_pkey",
    }
    assert new_shape["relations"] <= old_shape["relations"]
    for table in ("brokerage_trajectory", "outreach_digestpreference"):
        assert (table, f"{table}_pkey", "PRIMARY KEY (id)") in old_shape["constraints"]
    # the preference without a TOAST table both ways (its choices' columns stored plain now)
    assert old_shape["toast"] == new_shape["toast"]
    assert _rows(schema, now=False) == rows

    # and forward again it is exactly like a new neighbourhood, with the same rows
    call_command("migrate_schemas", schema_name=schema, verbosity=0)
    assert shape(schema) == new_shape
    assert "outreach_digestpreference" in {table for table, _ in plain_tables(schema)}
    assert _rows(schema) == rows
