"""Success stories: consent rules, publishing, the public pages, isolation, the API, the
newsletter section and the erasure."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.mediations.services import set_mediation_status, start_mediation
from tenants.people.services.participants import register_participant
from tenants.stories import newsletter, personal_data
from tenants.stories.models import Story
from tenants.stories.services import (
    give_story_consent,
    publish_story,
    withdraw_story_consent,
    write_story,
)
from tests.support.cast import client_for

pytestmark = pytest.mark.django_db


def _match(place, asking="Ans", giving="Bert"):  # type: ignore[no-untyped-def]
    requester = register_participant(display_name=asking, registered_by=place.broker.user)
    provider = register_participant(display_name=giving, registered_by=place.broker.user)
    mediation = start_mediation(
        requester=requester,
        provider=provider,
        active=True,
        started_on=timezone.localdate() - datetime.timedelta(days=30),
        created_by=place.broker.user,
    )
    return set_mediation_status(mediation=mediation, status="match", by=place.broker.user)


def _story(place, title="Samen naar de markt", consent=True, publish=False):  # type: ignore[no-untyped-def]
    mediation = _match(place)
    story = write_story(
        mediation=mediation, title=title, text="Ans en Bert gaan samen.", by=place.broker.user
    )
    if consent:
        for person in (mediation.requester, mediation.provider):
            give_story_consent(story=story, participant=person, by=place.broker.user)
    if publish:
        story = publish_story(story=story, by=place.broker.user)
    return story


def test_a_story_without_every_consent_cannot_be_published(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        story = _story(cast.a, consent=False)
        give_story_consent(
            story=story, participant=story.mediation.requester, by=cast.a.broker.user
        )
        with pytest.raises(ValidationError) as refused:
            publish_story(story=story, by=cast.a.broker.user)
        assert "Bert" in str(refused.value) and "Ans" not in str(refused.value)
        story.refresh_from_db()
        assert story.published_at is None
    page = cast.a.client(cast.a.broker).post(
        f"/broker/stories/{story.pk}/publish/", {"publish": "yes"}
    )
    assert page.status_code == 400 and b"Bert" in page.content and b'role="alert"' in page.content


def test_a_story_is_written_only_of_a_match(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        mediation = _match(cast.a)
        open_one = start_mediation(
            requester=mediation.requester,
            provider=register_participant(display_name="Cor", registered_by=cast.a.broker.user),
            active=True,
            created_by=cast.a.broker.user,
        )
        with pytest.raises(ValidationError) as refused:
            write_story(mediation=open_one, title="T", text="T", by=cast.a.broker.user)
        assert "mediation" in refused.value.message_dict
        with pytest.raises(ValidationError) as empty:
            write_story(mediation=mediation, title=" ", text="", by=cast.a.broker.user)
        assert set(empty.value.message_dict) == {"title", "text"}


def test_withdrawing_a_consent_unpublishes_at_once(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        story = _story(cast.a, publish=True)
        assert story.published_at is not None
    client = cast.a.client(cast.a.broker)
    assert cast.a.client().get(f"/stories/{story.pk}/").status_code == 200
    withdrawn = client.post(
        f"/broker/stories/{story.pk}/consent/",
        {"participant": story.mediation.provider_id, "consent": "withdraw"},
    )
    assert withdrawn.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        story.refresh_from_db()
        assert story.published_at is None
        actions = list(
            AuditEvent.objects.filter(action__startswith="story.")
            .order_by("id")
            .values_list("action", flat=True)
        )
    assert actions[-2:] == ["story.consent_withdrawn", "story.unpublished"]
    assert cast.a.client().get(f"/stories/{story.pk}/").status_code == 404
    assert b"Samen naar de markt" not in cast.a.client().get("/").content


def test_public_pages_show_only_published_stories_of_this_neighbourhood(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        shown = _story(cast.a, title="Gepubliceerd verhaal", publish=True)
        draft = _story(cast.a, title="Concept verhaal")
    with tenant_context(cast.b.neighbourhood):
        _story(cast.b, title="Verhaal uit B", publish=True)
    visitor = cast.a.client()
    for path in ("/", "/stories/"):
        page = visitor.get(path).content.decode()
        assert "Gepubliceerd verhaal" in page and "Concept verhaal" not in page
        assert "Verhaal uit B" not in page
    assert visitor.get(f"/stories/{draft.pk}/").status_code == 404
    assert visitor.get(f"/stories/{shown.pk}/").status_code == 200
    api = client_for(cast.a.host).get("/api/v1/stories/").json()
    assert [row["title"] for row in api["results"]] == ["Gepubliceerd verhaal"]
    assert "people" not in api["results"][0] and "mediation" not in api["results"][0]
    in_b = cast.b.client(cast.b.broker).get(f"/broker/stories/{shown.pk}/")
    assert b"Gepubliceerd verhaal" not in in_b.content  # B's own story by that id, or 404


def test_the_matches_to_write_about_carry_their_date_as_the_page_writes_dates(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        mediation = _match(cast.a, asking="Noor", giving="Piet")
    page = cast.a.client(cast.a.broker).get("/broker/stories/new/", HTTP_ACCEPT_LANGUAGE="nl")
    with translation.override("nl"):
        ended = formats.date_format(mediation.ended_on)  # 6 december 2026
    assert f"Noor – Piet ({ended})</option>" in page.content.decode()
    assert mediation.ended_on.isoformat() not in page.content.decode()


def test_only_staff_reach_the_workspace_pages_and_writes(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        story = _story(cast.a)
    pages = [
        "/broker/stories/",
        "/broker/stories/new/",
        f"/broker/stories/{story.pk}/",
        f"/broker/stories/{story.pk}/edit/",
    ]
    for path in pages:
        assert cast.a.client(cast.a.broker).get(path).status_code == 200, path
        assert cast.a.client(cast.a.resident).get(path).status_code == 403, path
    api = client_for(cast.a.host)
    resident = f"Token {cast.a.resident.token}"
    assert api.get("/api/v1/stories/manage/", HTTP_AUTHORIZATION=resident).status_code == 403
    assert (
        api.post(
            f"/api/v1/stories/manage/{story.pk}/publish/", HTTP_AUTHORIZATION=resident
        ).status_code
        == 403
    )
    other = client_for(cast.b.host).get(
        f"/api/v1/stories/manage/{story.pk}/", HTTP_AUTHORIZATION=f"Token {cast.b.broker.token}"
    )
    assert other.status_code == 404


def test_the_broker_writes_consents_and_publishes_through_the_api(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        mediation = _match(cast.a)
    api = client_for(cast.a.host)
    auth = {"HTTP_AUTHORIZATION": f"Token {cast.a.broker.token}"}
    created = api.post(
        "/api/v1/stories/manage/",
        {"mediation": mediation.pk, "title": "Via de API", "text": "Een mooi verhaal."},
        **auth,
    )
    assert created.status_code == 201, created.content
    story = created.json()
    assert [p["consent_given_at"] for p in story["people"]] == [None, None]
    refused = api.post(f"/api/v1/stories/manage/{story['id']}/publish/", **auth)
    assert refused.status_code == 400 and "Ans, Bert" in str(refused.json())
    for person in story["people"]:
        given = api.post(
            f"/api/v1/stories/manage/{story['id']}/consent/",
            {"participant": person["participant"], "given": True},
            content_type="application/json",
            **auth,
        )
        assert given.status_code == 200
    published = api.post(f"/api/v1/stories/manage/{story['id']}/publish/", **auth)
    assert published.status_code == 200 and published.json()["published_at"]
    stranger = api.post(
        f"/api/v1/stories/manage/{story['id']}/consent/",
        {"participant": 999999, "given": True},
        content_type="application/json",
        **auth,
    )
    assert stranger.status_code == 400


def test_lists_keep_a_constant_number_of_queries(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        _story(cast.a, publish=True)
    client = cast.a.client(cast.a.broker)

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    [count(path) for path in ("/broker/stories/", "/stories/")]  # sessions, caches warm
    before = [count(path) for path in ("/broker/stories/", "/stories/", "/api/v1/stories/")]
    with tenant_context(cast.a.neighbourhood):
        for index in range(4):
            _story(cast.a, title=f"Verhaal {index}", publish=True)
    after = [count(path) for path in ("/broker/stories/", "/stories/", "/api/v1/stories/")]
    assert after == before


def test_the_newsletter_section_holds_the_newest_published_stories(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        assert newsletter.sections(timezone.now()) == []
        _story(cast.a, title="Oud verhaal", publish=True)
        since = timezone.now()
        _story(cast.a, title="Nieuw verhaal", publish=True)
        _story(cast.a, title="Concept")
        sections = newsletter.sections(since)
    assert len(sections) == 1 and sections[0].heading == "Success stories"  # the source text
    assert [item.title for item in sections[0].items] == ["Nieuw verhaal"]
    assert sections[0].items[0].url.startswith("http") and "/stories/" in sections[0].items[0].url


def test_erasing_a_person_unpublishes_the_stories_that_name_them(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        story = _story(cast.a, publish=True)
        counts = personal_data.erase(story.mediation.requester, cast.a.admin.user)
        story.refresh_from_db()
        assert story.published_at is None
        assert counts == {"story_consents_withdrawn": 1, "stories_unpublished": 1}
        with pytest.raises(ValidationError):
            withdraw_story_consent(
                story=story, participant=register_participant(display_name="X"), by=None
            )
        assert Story.objects.filter(pk=story.pk).exists()


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def test_a_photo_follows_the_ads_rules_on_the_page(cast, settings, tmp_path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    with tenant_context(cast.a.neighbourhood):
        mediation = _match(cast.a)
    client = cast.a.client(cast.a.broker)
    form = {"mediation": mediation.pk, "title": "Met foto", "text": "Samen in de tuin."}
    refused = client.post(
        "/broker/stories/new/",
        {**form, "photo": SimpleUploadedFile("x.jpg", b"%PDF-1.4 nope", content_type="image/jpeg")},
    )
    assert refused.status_code == 400 and b'value="Met foto"' in refused.content
    saved = client.post(
        "/broker/stories/new/",
        {**form, "photo": SimpleUploadedFile("p.png", _png(), content_type="image/png")},
    )
    assert saved.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        story = Story.objects.get(title="Met foto")
    assert story.photo.name.startswith("stories/") and story.photo.name.endswith(".jpg")
