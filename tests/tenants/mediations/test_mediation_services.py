"""Mediation services and selectors: rules, follow-ups, placements, suggestions, timeline."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_tenants.utils import tenant_context

from tenants.market.models import Ad
from tenants.mediations import demo, selectors, services, timeline
from tenants.mediations.models import FollowUp, Mediation, Placement
from tenants.people.services.participants import register_participant

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _start(world, broker, **fields):  # type: ignore[no-untyped-def]
    fields.setdefault("requester", world.ann)
    if "organisation" not in fields:
        fields.setdefault("provider", world.bert)
    fields.setdefault("active", True)
    return services.start_mediation(created_by=broker, **fields)


def test_an_active_mediation_schedules_the_neighbourhoods_follow_ups(cast, world) -> None:
    with tenant_context(cast.a.neighbourhood):
        started = timezone.localdate() - 3 * DAY
        mediation = _start(world, cast.a.broker.user, started_on=started)
        due = list(mediation.follow_ups.values_list("kind", "due_on"))
        via_site = _start(world, None, active=False, requester=world.carla)
        via_site_kinds = [f.kind for f in via_site.follow_ups.all()]
    assert due == [
        ("broker", started + datetime.timedelta(weeks=2)),
        ("broker", started + datetime.timedelta(weeks=6)),
    ]
    assert via_site_kinds == ["ask_participants"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"provider": "ann"}, "provider"),
        ({"provider": "gone"}, "provider"),
        ({"requester": "gone"}, "requester"),
        ({"started_on": "tomorrow"}, "started_on"),
        ({"provider": None}, "provider"),
    ],
)
def test_a_bad_mediation_is_refused_with_a_reason(cast, world, change, field) -> None:
    values = {
        "ann": world.ann,
        "gone": world.gone,
        "tomorrow": timezone.localdate() + DAY,
        None: None,
    }
    with tenant_context(cast.a.neighbourhood):
        with pytest.raises(ValidationError) as refused:
            _start(world, cast.a.broker.user, **{k: values[v] for k, v in change.items()})
        assert not Mediation.objects.exists()
    assert field in refused.value.message_dict


def test_only_ads_of_the_two_sides_can_be_linked(cast, world) -> None:
    with tenant_context(cast.a.neighbourhood):
        stranger = world.ad(world.carla, "offer", "Strijken", "Ik strijk graag")
        with pytest.raises(ValidationError) as refused:
            _start(world, cast.a.broker.user, ads=[stranger])
        own = world.ad(world.bert, "offer", "Tuinieren", "Ik help in de tuin")
        vacancy = world.ad(
            world.carla, "vacancy", "Voorlezen", "Voorlezen op school", organisation=world.school
        )
        assert _start(world, cast.a.broker.user, ads=[own]).ads.get() == own
        with_school = _start(world, cast.a.broker.user, organisation=world.school, ads=[vacancy])
        assert with_school.ads.get() == vacancy
    assert "ads" in refused.value.message_dict


def test_status_changes_follow_the_rules(cast, world) -> None:
    broker = cast.a.broker.user
    today = timezone.localdate()
    with tenant_context(cast.a.neighbourhood):
        mediation = _start(world, broker, started_on=today - 10 * DAY)
        for status, ended_on, field in [
            ("match", today - 11 * DAY, "ended_on"),  # before the start
            ("match", today + DAY, "ended_on"),  # in the future
            ("nonsense", None, "status"),
            ("open", None, "status"),  # open cannot become open
        ]:
            with pytest.raises(ValidationError) as refused:
                services.set_mediation_status(
                    mediation=mediation, status=status, ended_on=ended_on, by=broker
                )
            assert field in refused.value.message_dict
        services.set_mediation_status(
            mediation=mediation, status="match", ended_on=today - DAY, reason=" Klikt ", by=broker
        )
        mediation.refresh_from_db()
        assert (mediation.status, mediation.ended_on, mediation.reason) == (
            "match",
            today - DAY,
            "Klikt",
        )
        assert not mediation.follow_ups.filter(done_at__isnull=True).exists()
        with pytest.raises(ValidationError) as skipped:
            services.set_mediation_status(
                mediation=mediation, status="no_match", reason="Geen klik", by=broker
            )
        assert "status" in skipped.value.message_dict
        services.set_mediation_status(mediation=mediation, status="open", by=broker)
        mediation.refresh_from_db()
    assert (mediation.status, mediation.ended_on) == ("open", None)


def test_a_mediation_found_via_the_site_can_become_supported(cast, world) -> None:
    broker = cast.a.broker.user
    with tenant_context(cast.a.neighbourhood):
        mediation = _start(world, None, active=False)
        services.mark_mediation_supported(mediation=mediation, by=broker)
        mediation.refresh_from_db()
        kinds = sorted(mediation.follow_ups.values_list("kind", flat=True))
        with pytest.raises(ValidationError):
            services.mark_mediation_supported(mediation=mediation, by=broker)
    assert mediation.active
    assert kinds == ["ask_participants", "broker", "broker"]


def test_a_follow_up_is_done_once_with_a_note(cast, world) -> None:
    broker = cast.a.broker.user
    with tenant_context(cast.a.neighbourhood):
        follow_up = _start(world, broker).follow_ups.first()
        services.complete_follow_up(follow_up=follow_up, by=broker, note=" Gaat goed ")
        follow_up.refresh_from_db()
        with pytest.raises(ValidationError):
            services.complete_follow_up(follow_up=follow_up, by=broker)
    assert follow_up.note == "Gaat goed" and follow_up.done_by_id == broker.pk


def test_due_follow_ups_are_the_brokers_open_ones_up_to_today_in_one_query(cast, world) -> None:
    broker = cast.a.broker.user
    today = timezone.localdate()
    with tenant_context(cast.a.neighbourhood):
        old = _start(world, broker, started_on=today - 15 * DAY)  # due 1 day ago and in 4 weeks
        _start(world, None, active=False, started_on=today - 30 * DAY)  # participants' own
        done = _start(world, broker, requester=world.carla, started_on=today - 14 * DAY)
        services.complete_follow_up(follow_up=done.follow_ups.first(), by=broker)
        for index in range(5):
            _start(
                world, broker, requester=world.participant(f"P{index}"), started_on=today - 20 * DAY
            )
        with CaptureQueriesContext(connection) as queries:
            due = list(selectors.due_follow_ups(today))
            names = {
                (f.mediation.requester.display_name, f.mediation.provider.display_name) for f in due
            }
    assert len(queries) == 1
    assert len(due) == 6 and due[0].mediation == old or due[-1].mediation == old
    assert ("Ann", "Bert") in names and ("Carla", "Bert") not in names


def test_placements_are_recorded_and_ended(cast, world) -> None:
    broker = cast.a.broker.user
    today = timezone.localdate()
    with tenant_context(cast.a.neighbourhood):
        placement = services.record_placement(
            participant=world.carla,
            organisation=world.school,
            started_on=today - 5 * DAY,
            by=broker,
        )
        with pytest.raises(ValidationError) as early:
            services.end_placement(placement=placement, ended_on=today - 6 * DAY, by=broker)
        services.end_placement(placement=placement, by=broker)
        with pytest.raises(ValidationError):
            services.end_placement(placement=placement, by=broker)
        with pytest.raises(ValidationError) as erased:
            services.record_placement(participant=world.gone, organisation=world.school, by=broker)
        placement.refresh_from_db()
    assert "ended_on" in early.value.message_dict and "participant" in erased.value.message_dict
    assert placement.ended_on == today


def _suggestion_world(world):  # type: ignore[no-untyped-def]
    request = world.ad(
        world.ann,
        "request",
        "Hulp bij de tuin",
        "Wie wil mijn tuin snoeien en de heg knippen?",
        category=world.garden,
        sub_area=world.lunetten,
    )
    best = world.ad(
        world.bert,
        "offer",
        "Tuinman met ervaring",
        "Ik snoei heggen en help in elke tuin",
        category=world.garden,
        sub_area=world.lunetten,
    )
    words = world.ad(
        world.carla,
        "offer",
        "Heg knippen",
        "Ik kan de heg knippen",
        category=world.language,
        sub_area=world.hoograven,
    )
    world.ad(world.carla, "offer", "Computerles", "Uitleg over e-mail", category=world.language)
    world.ad(world.ann, "offer", "Eigen tuin", "tuin tuin tuin", category=world.garden)  # own
    world.ad(world.gone, "offer", "Tuin", "tuin snoeien heg", category=world.garden)  # erased
    world.ad(world.bert, "offer", "Oud", "tuin", category=world.garden, status="closed")
    return request, best, words


@pytest.mark.parametrize("stored_vectors", [False, True])
def test_suggestions_fit_best_first_with_why(cast, world, stored_vectors) -> None:
    with tenant_context(cast.a.neighbourhood):
        request, best, words = _suggestion_world(world)
        if stored_vectors:
            Ad.objects.update(
                search_vector=SearchVector("title", weight="A", config="dutch")
                + SearchVector("body", weight="B", config="dutch")
            )
        with translation.override("en"):
            suggestions = selectors.match_suggestions(ad=request)
    assert [s.ad for s in suggestions] == [best, words]
    assert suggestions[0].reasons == ["same category", "same sub-area", "words in common"]
    assert suggestions[0].common_words == ["snoei", "tuin"]  # "snoeien" asked, "heg" too short
    assert suggestions[1].reasons == ["words in common"]
    assert "heg" not in suggestions[1].common_words  # short words do not explain much
    assert "knippen" in suggestions[1].common_words


def test_suggestions_take_three_queries_however_many_offers(cast, world) -> None:
    with tenant_context(cast.a.neighbourhood):
        request, _best, _words = _suggestion_world(world)
        counts = []
        for extra in (0, 20):
            for index in range(extra):
                world.ad(world.participant(f"Buur {index}"), "offer", "Tuinhulp", "tuin snoeien")
            with CaptureQueriesContext(connection) as queries:
                found = selectors.match_suggestions(ad=request)
                [s.ad.participant.display_name + s.ad.category.name for s in found]
            counts.append(len(queries))
    # The stop words of the ad, the suggestions, the stop words of the suggestions.
    assert counts == [3, 3] and len(found) == 20


def test_dutch_and_english_stop_words_are_no_reason_to_suggest(cast, world) -> None:
    with tenant_context(cast.a.neighbourhood):
        request = world.ad(
            world.ann,
            "request",
            "Mijn fiets",
            "Wie kan mijn fiets maken? Graag with help",
            category=world.garden,
        )
        only_stop_words = world.ad(
            world.bert,
            "offer",
            "Mijn tijd",
            "Ik ben er voor u, with zeker",
            category=world.language,
        )
        fiets = world.ad(
            world.carla,
            "offer",
            "Fietsen maken",
            "Mijn hobby: een fiets maken",
            category=world.language,
        )
        with translation.override("en"):
            suggestions = selectors.match_suggestions(ad=request)
    assert only_stop_words.pk and [s.ad for s in suggestions] == [fiets]
    assert suggestions[0].common_words == ["fietsen", "maken", "fiets"]
    assert suggestions[0].reasons == ["words in common"]
    assert "mijn" not in suggestions[0].common_words


def test_a_participants_timeline_shows_their_mediations(cast, world) -> None:
    with tenant_context(cast.a.neighbourhood):
        _start(world, cast.a.broker.user)
        services.record_placement(participant=world.ann, organisation=world.school, by=None)
        entries = timeline.TIMELINE.entries_for(world.ann)
    assert {e.kind for e in entries} == {"mediation", "placement"}
    assert any("Bert" in e.title for e in entries)


def test_demo_data_builds_a_year_of_mediations_and_tolerates_an_empty_neighbourhood(
    cast, world
) -> None:
    today = timezone.localdate()
    with tenant_context(cast.b.neighbourhood):
        demo.add_demo_data(cast.b.neighbourhood)  # no participants there
        assert not Mediation.objects.exists()
    with tenant_context(cast.a.neighbourhood):
        world.ad(world.ann, "request", "Boodschappen", "Wie gaat mee naar de markt?")
        world.ad(world.bert, "offer", "Boodschappen doen", "Ik ga graag mee")
        demo.add_demo_data(cast.a.neighbourhood)
        mediations = list(Mediation.objects.all())
        due_this_week = FollowUp.objects.filter(
            kind="broker", done_at=None, due_on__range=(today - 7 * DAY, today + 7 * DAY)
        ).count()
        placements = Placement.objects.count()
    assert len(mediations) >= 12
    assert {m.status for m in mediations} == {"open", "match", "no_match", "cancelled"}
    assert {m.active for m in mediations} == {True, False}
    assert min(m.started_on for m in mediations) >= today - 430 * DAY
    assert all(m.reason for m in mediations if m.status != "open")
    assert due_this_week >= 2
    assert placements == 2


def test_ending_without_a_match_needs_a_reason_a_match_and_reopening_do_not(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ann = register_participant(display_name="Ann")
        bob = register_participant(display_name="Bob")
        mediation = services.start_mediation(
            requester=ann, provider=bob, active=True, started_on=timezone.localdate()
        )
        for status in ("no_match", "cancelled"):
            with pytest.raises(ValidationError) as refused:
                services.set_mediation_status(mediation=mediation, status=status, reason=" ")
            assert "reason" in refused.value.message_dict
        services.set_mediation_status(mediation=mediation, status="match")
        services.set_mediation_status(mediation=mediation, status="open")
        services.set_mediation_status(mediation=mediation, status="cancelled", reason="Verhuisd")
        mediation.refresh_from_db()
        assert (mediation.status, mediation.reason) == ("cancelled", "Verhuisd")


def test_reopening_an_active_mediation_schedules_the_follow_ups_again(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ann = register_participant(display_name="Ann")
        bob = register_participant(display_name="Bob")
        started = timezone.localdate() - datetime.timedelta(weeks=8)
        mediation = services.start_mediation(
            requester=ann, provider=bob, active=True, started_on=started
        )
        services.set_mediation_status(mediation=mediation, status="match")
        assert not mediation.follow_ups.filter(done_at__isnull=True).exists()
        services.set_mediation_status(mediation=mediation, status="open")
        today = timezone.localdate()
        due = sorted(
            mediation.follow_ups.filter(done_at__isnull=True).values_list("due_on", flat=True)
        )
        assert due == [today + datetime.timedelta(weeks=w) for w in (2, 6)]
