"""Tables keyed by their own columns (docs/adr/0011): a neighbourhood holding rows in them
migrates back to surrogate keys and forward again, keeps every row, and ends exactly like a new
neighbourhood: the same relations, columns, defaults, constraints and index definitions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_tenants.utils import tenant_context

from tenants.credits.models import Account, Movement, Transfer
from tenants.mailings.models import Subscriber, SubscriberStatus
from tenants.market.models import Category
from tenants.mediations.models import Feedback, Mediation
from tenants.organisations.models import Organisation
from tenants.outreach.models import DigestPreference
from tenants.people.models import ParticipantProfile, SubArea
from tenants.referrals.models import GroupVisit
from tenants.siteuse.services import count_visits
from tests.support.cast import spec_for
from tests.support.factories import participant, published_ad
from tests.support.schema_shape import query, shape
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import delete_neighbourhood, provision_neighbourhood

# The migrations before this change, per app (organisations' and outreach's follow people's).
BEFORE = [
    ("siteuse", "0002_schema_ids"),
    ("mediations", "0004_unqueried_indexes"),
    ("referrals", "0004_unqueried_indexes"),
    ("people", "0008_unqueried_indexes"),
    ("audit", "0002_reads_named_as_reads"),
    ("outbox", "0006_schema_ids"),
    ("mailings", "0003_schema_ids"),
    ("credits", "0008_offer_stored_plain"),
]
# What each table's rows are, by the columns that stay (the key's and the payload's).
ROWS = {
    "mediations_mediation_ads": "mediation_id, ad_id",
    "mediations_feedback": "mediation_id, participant_id, worked_out",
    "organisations_organisation_members": "organisation_id, participant_id",
    "referrals_groupvisit_joined": "groupvisit_id, participant_id",
    # its choices were in join tables then (keyed by the pair), in the row now: see
    # test_keyed_by_participant.py for them, migrated both ways
    "outreach_digestpreference": "participant_id, frequency",
    "people_participantprofile": "participant_id, gender",
    "mailings_subscriber": "email, undeliverable_reason",
    "credits_movement": "transfer_id, account_id, amount",
}
# The site use's visitors, one table now, two before (a day's and a month's), as rows of both.
VISITORS = {"siteuse_visitor": "kind, period, visitor, visits"}
VISITORS_BEFORE = {
    "siteuse_dailyvisitor": "'day', day, visitor, visits",
    "siteuse_regularvisitor": "'month', month, visitor, visits",
}
UNIQUES_BEFORE = {
    "mediations_mediation_ads_mediation_id_ad_id_75422410_uniq",
    "one_answer_each",
    "organisations_organisati_organisation_id_particip_61b94677_uniq",
    "referrals_groupvisit_joi_groupvisit_id_participan_5f6ccc41_uniq",
    "outreach_digestpreferenc_digestpreference_id_cate_cf97919b_uniq",
    "outreach_digestpreferenc_digestpreference_id_suba_9e8fadbd_uniq",
    "outreach_digestpreference_participant_id_key",
    "people_participantprofile_participant_id_key",
    "one_row_per_visitor_a_day",
    "one_row_per_visitor_a_month",
    "credit_movement_one_per_account",
}


def _rows(schema: str) -> dict[str, list[tuple]]:
    return {
        table: sorted(query(f'SELECT {columns} FROM "{schema}"."{table}"', []))  # noqa: S608
        for table, columns in ROWS.items()
    }


def _union(schema: str, tables: dict[str, str]) -> set[tuple]:
    """The rows of `tables`, each read as its `columns`, as one set: one table's rows can be
    compared with those of the tables it was made from."""
    return {
        row
        for table, columns in tables.items()
        for row in query(f'SELECT {columns} FROM "{schema}"."{table}"', [])  # noqa: S608
    }


@pytest.fixture
def committed(cast, django_db_blocker, settings, tmp_path):  # type: ignore[no-untyped-def]
    # Migrating back and forth alters tables: committed, as a real migrate does.
    settings.BACKUP_DIR = tmp_path / "backups"  # the deletion's dump
    with django_db_blocker.unblock():
        yield
        for neighbourhood in Neighbourhood.objects.filter(slug__startswith="paren"):
            delete_neighbourhood(neighbourhood=neighbourhood, confirm_slug=neighbourhood.slug)


def _fill(neighbourhood: Neighbourhood) -> None:
    """A row in every table whose key changes (through the ORM: the migration is the subject,
    and the join rows are what `.add()` writes)."""
    today = datetime.date(2026, 3, 2)
    with tenant_context(neighbourhood):
        one, two = participant("Een"), participant("Twee")
        ad = published_ad(title="Fiets maken")
        mediation = Mediation.objects.create(requester=one, provider=two, started_on=today)
        mediation.ads.add(ad)
        Feedback.objects.create(mediation=mediation, participant=two, worked_out=True)
        organisation = Organisation.objects.create(name="Buurthuis Paren")
        organisation.members.add(one, two)
        visit = GroupVisit.objects.create(visited_on=today, group_name="Koffie", reached=6)
        visit.joined.add(one)
        DigestPreference.objects.create(
            participant=one,
            frequency="weekly",
            category_ids=[Category.objects.order_by("pk").first().pk],
            sub_area_ids=[SubArea.objects.create(name="Paren-Noord").pk],
        )
        ParticipantProfile.objects.create(participant=two, gender="other")
        count_visits(day=today, start_month=9, visitors=[("192.0.2.1", "a"), ("192.0.2.2", "b")])
        count_visits(day=today, start_month=9, visitors=[("192.0.2.1", "a")])
        Subscriber.objects.create(
            email="weg@example.org",
            status=SubscriberStatus.UNDELIVERABLE,
            undeliverable_reason="bounce report 5.1.1",
        )
        issuing = Account.objects.create(kind=Account.Kind.NEIGHBOURHOOD_ISSUING)
        reward = Transfer.objects.create(kind=Transfer.Kind.REWARD, description="Koffie")
        Movement.objects.bulk_create(
            [Movement(transfer=reward, account=issuing, amount=Decimal(-3))]
            + [
                Movement(
                    transfer=reward,
                    account=Account.objects.create(
                        kind=Account.Kind.PARTICIPANT, participant=someone
                    ),
                    amount=Decimal("1.5"),
                )
                for someone in (one, two)
            ]
        )


def test_a_neighbourhood_with_rows_migrates_back_and_forward_to_a_new_ones_shape(
    committed,
) -> None:
    # given a new neighbourhood with rows in every table whose key changed
    neighbourhood = provision_neighbourhood(spec=spec_for("paren"))
    schema = neighbourhood.schema_name
    new_shape = shape(schema)
    _fill(neighbourhood)
    rows = _rows(schema)
    assert all(rows.values()), rows
    salts = _union(schema, {"siteuse_salt": "kind, day, salt"})
    assert {kind for kind, _, _ in salts} == {"day", "year"}
    visitors = _union(schema, VISITORS)
    assert {kind for kind, *_ in visitors} == {"day", "month"}

    # when it migrates back to before the natural keys
    for app, migration in BEFORE:
        call_command("migrate_schemas", app, migration, schema_name=schema, verbosity=0)

    # then every table has its surrogate key and unique constraint again, with the same rows
    old_shape = shape(schema)
    old_only = {name for name, _ in old_shape["relations"] - new_shape["relations"]}
    assert old_only == UNIQUES_BEFORE | {
        "siteuse_dailysalt",
        "siteuse_dailysalt_pkey",
        "siteuse_yearsalt",
        "siteuse_yearsalt_pkey",
        "siteuse_dailyvisitor",
        "siteuse_dailyvisitor_pkey",
        "siteuse_regularvisitor",
        "siteuse_regularvisitor_pkey",
        "audit_auditevent_action_2131bb77",
        "audit_auditevent_action_2131bb77_like",
        "outbox_outboxmessage_batch_id_2c677e07",
        # audit's and outbox's schema_ids migrations follow these, so they are undone too
        "audit_auditevent_id_seq",
        "outbox_outboxmessage_id_seq",
        # and so are the later index changes of audit and outbox, and the link's key
        "audit_auditevent_actor_id_270bb4b7",
        "outbox_outb_status_72295d_idx",
        "outbox_outb_status_939f04_idx",
        "people_participantlink_token_hash_key",
        # the digest's join tables, gone later (their rows in the preference's row)
        "outreach_digestpreference_categories",
        "outreach_digestpreference_categories_pkey",
        "outreach_digestpreference_sub_areas",
        "outreach_digestpreference_sub_areas_pkey",
    }
    assert new_shape["relations"] - old_shape["relations"] == {
        ("audit_action", "i"),
        ("audit_actor", "i"),
        ("outbox_in_flight", "i"),
        ("siteuse_salt", "r"),
        ("siteuse_salt_pkey", "i"),
        ("siteuse_visitor", "r"),
        ("siteuse_visitor_pkey", "i"),
    }
    for table in [*ROWS, *VISITORS_BEFORE]:
        assert (table, f"{table}_pkey", "PRIMARY KEY (id)") in old_shape["constraints"]
    assert old_shape["toast"] - new_shape["toast"] == {
        ("mailings_subscriber",),
        # stored plain later (tijdvoorelkaar/plain_rows.py)
        ("referrals_referral",),
        ("referrals_groupvisit",),
    }
    assert _rows(schema) == rows
    assert _union(schema, VISITORS_BEFORE) == visitors
    assert (
        _union(
            schema,
            {
                "siteuse_dailysalt": "'day', day, salt",
                "siteuse_yearsalt": "'year', make_date(year, 1, 1), salt",
            },
        )
        == salts
    )
    keys = query(f'SELECT id FROM "{schema}".organisations_organisation_members', [])  # noqa: S608
    assert len(keys) == 2 and None not in keys[0]

    # and forward again it is exactly like a new neighbourhood, with the same rows
    call_command("migrate_schemas", schema_name=schema, verbosity=0)
    assert shape(schema) == new_shape
    assert _rows(schema) == rows
    assert _union(schema, {"siteuse_salt": "kind, day, salt"}) == salts
    assert _union(schema, VISITORS) == visitors
