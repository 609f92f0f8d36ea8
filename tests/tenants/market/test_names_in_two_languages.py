"""Categories and routing steps are named in Dutch and, optionally, in English: the English
page shows the English name where there is one, the Dutch one otherwise."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django_tenants.utils import tenant_context

from tenants.brokerage.models import RoutingStep
from tenants.market.models import Category
from tests.support.factories import broker_ad, participant

pytestmark = pytest.mark.django_db


def test_a_new_neighbourhood_is_seeded_in_dutch_with_english_beside(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        categories = list(Category.objects.values_list("name", "name_en", "slug")[:2])
        steps = list(RoutingStep.objects.values_list("name", "name_en")[:2])
    assert categories == [("Klusjes", "Odd jobs", "klusjes"), ("Tuin", "Garden", "tuin")]
    assert steps == [("Eerste contact", "First contact"), ("Intake", "Intake")]


def test_the_page_and_the_api_name_a_category_in_the_visitors_language(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        garden = Category.objects.get(slug="tuin")
        own = Category.objects.create(name="Buurtmoestuin", slug="buurtmoestuin", position=20)
        broker_ad(participant("Fatma"), "offer", "Snoeien", "Ik snoei uw heg", category=garden)
        broker_ad(participant("Kees"), "offer", "Bonen", "Verse bonen", category=own)
    client = cast.a.client()
    dutch = client.get("/ads/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    english = client.get("/ads/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Tuin" in dutch and "Garden" not in dutch
    assert "Garden" in english and "Buurtmoestuin" in english  # no English name: the Dutch
    api = client.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    by_slug = {row["slug"]: row for row in api}
    assert by_slug["tuin"] == {**by_slug["tuin"], "name": "Tuin", "name_en": "Garden"}
    assert by_slug["tuin"]["display_name"] == "Garden"
    assert by_slug["buurtmoestuin"]["display_name"] == "Buurtmoestuin"
    in_dutch = client.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="nl").json()["results"]
    assert {row["slug"]: row["display_name"] for row in in_dutch}["tuin"] == "Tuin"


def test_the_admin_names_a_category_and_a_step_in_both_languages(cast) -> None:
    admin = cast.a.client(cast.a.admin)
    added = admin.post("/manage/categories/", {"name": "Fietsen", "name_en": "Bicycles"})
    assert added.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        bikes = Category.objects.get(name="Fietsen")
        step = RoutingStep.objects.get(name="Intake")
    assert bikes.name_en == "Bicycles"
    page = admin.get(f"/manage/categories/{bikes.pk}/").content.decode()
    assert 'name="name_en"' in page and 'value="Bicycles"' in page
    changed = admin.post(
        f"/manage/categories/{bikes.pk}/",
        {"name": "Fietsen", "name_en": "Bikes", "position": 3, "is_active": "on"},
    )
    assert changed.status_code == 302
    admin.post("/manage/routing/", {"name": "Evaluatie", "name_en": "Review"})
    admin.post(
        f"/manage/routing/{step.pk}/",
        {"action": "rename", "name": "Kennismaking", "name_en": "Getting acquainted"},
    )
    with tenant_context(cast.a.neighbourhood):
        assert Category.objects.get(pk=bikes.pk).name_en == "Bikes"
        assert RoutingStep.objects.filter(name="Evaluatie", name_en="Review").exists()
        step.refresh_from_db()
    assert (step.name, step.name_en) == ("Kennismaking", "Getting acquainted")
    steps = admin.get("/api/v1/routing-steps/", HTTP_ACCEPT_LANGUAGE="en").json()
    shown = {row["name"]: row["display_name"] for row in steps}
    assert shown["Kennismaking"] == "Getting acquainted" and shown["Evaluatie"] == "Review"
    board = cast.a.client(cast.a.broker).get("/broker/board/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Getting acquainted" in board.content.decode()


@pytest.mark.parametrize(
    ("module", "model", "seeded_in_english"),
    [
        ("tenants.market.migrations.0003_category_name_en", Category, ["Odd jobs", "Garden"]),
        ("tenants.brokerage.migrations.0002_routingstep_name_en", RoutingStep, ["First meeting"]),
    ],
)
def test_the_migration_makes_english_default_names_dutch_and_keeps_the_neighbourhoods_own(
    cast, module: str, model, seeded_in_english: list[str]
) -> None:
    migration = importlib.import_module(module)
    with tenant_context(cast.a.neighbourhood):
        # As the demo was seeded (English), beside a name the neighbourhood chose itself.
        model.objects.all().delete()
        for index, name in enumerate([*seeded_in_english, "Buurtkamer"], start=1):
            fields = {"slug": f"s{index}"} if model is Category else {}
            model.objects.create(name=name, position=index, **fields)
        migration.name_in_both_languages(apps, None)
        names = list(model.objects.order_by("position").values_list("name", "name_en"))
    expected = {
        "Odd jobs": ("Klusjes", "Odd jobs"),
        "Garden": ("Tuin", "Garden"),
        "First meeting": ("Eerste ontmoeting", "First meeting"),
    }
    assert names == [*(expected[name] for name in seeded_in_english), ("Buurtkamer", "")]
