"""Several reads in one statement: the same rows, order and types as each queryset alone."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenants.people.models import Participant
from tenants.people.services.participants import ensure_sub_areas
from tests.support.factories import participant
from tijdvoorelkaar.combined_reads import ANY_ID, Counted, CountedRows, Rows, prepare, read_together

pytestmark = pytest.mark.django_db


def test_lists_and_counts_come_back_as_their_querysets_give_them_in_one_query(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        (area,) = ensure_sub_areas(names=["Lunetten"])
        for name in ("Cor", "Ans", "Bep", "Dirk"):
            participant(name, sub_area=area)
        people = Participant.objects.filter(display_name__in=["Ans", "Bep", "Cor", "Dirk"])
        by_name = people.order_by("-display_name").values(
            "pk", "created_at", area=F("sub_area__name")
        )
        with CaptureQueriesContext(connection) as queries:
            found = read_together(
                first=Rows(by_name, limit=2, counted=True),
                every=Rows(people.order_by("display_name").values("display_name")),
                none=Rows(people.filter(display_name="Nobody").values("pk"), counted=True),
                how_many=Counted(people),
            )
        assert len(queries) == 1
        assert found["first"] == CountedRows(list(by_name[:2]), 4)
        assert isinstance(found["first"].rows[0]["created_at"], datetime.datetime)
        assert [row["display_name"] for row in found["every"]] == ["Ans", "Bep", "Cor", "Dirk"]
        assert found["none"] == CountedRows([], 0)
        assert found["how_many"] == 4


def test_a_statement_prepared_for_any_id_runs_for_each_id(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ans, bep = participant("Ans"), participant("Bep")
        statement = prepare(
            them=Rows(Participant.objects.filter(pk=ANY_ID).values("display_name")),
        )
        assert statement.run() == {"them": []}
        assert statement.run(replacing={ANY_ID: ans.pk}) == {"them": [{"display_name": "Ans"}]}
        assert statement.run(replacing={ANY_ID: bep.pk}) == {"them": [{"display_name": "Bep"}]}


def test_every_kind_of_column_comes_back_as_the_queryset_gives_it(cast) -> None:
    from decimal import Decimal

    from django.db.models import DecimalField, Value

    from tenants.people.models import Note

    with tenant_context(cast.a.neighbourhood):
        (area,) = ensure_sub_areas(names=["Hoograven"])
        someone = participant("Ans", sub_area=area, email="ans@example.org")
        Note.objects.create(participant=someone, author_id=cast.a.broker.user.pk, text="Hallo")
        reads = {
            "participant": Participant.objects.filter(pk=someone.pk).values(
                *(field.attname for field in Participant._meta.concrete_fields)
            ),
            "notes": Note.objects.filter(participant=someone).values(
                "pk", "participant", "author_id", "text", "created_at", "edited_at"
            ),
            "numbers": Participant.objects.filter(pk=someone.pk).values(
                "pk", half=Value(Decimal("0.50"), output_field=DecimalField(decimal_places=2))
            ),
        }
        found = read_together(**{name: Rows(rows) for name, rows in reads.items()})
        for name, rows in reads.items():
            expected = list(rows)
            assert found[name] == expected
            for row, alone in zip(found[name], expected, strict=True):
                assert {k: type(v) for k, v in row.items()} == {
                    k: type(v) for k, v in alone.items()
                }
        assert found["participant"][0]["through_broker_only"] is False
        assert found["numbers"][0]["half"] == Decimal("0.50")
