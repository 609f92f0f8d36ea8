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
