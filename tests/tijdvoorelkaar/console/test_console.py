"""The operator console: who gets in, creating a neighbourhood, its job page, settings,
archiving, invitations and the demo inbox."""

from __future__ import annotations

from collections.abc import Iterator
from email.mime.text import MIMEText
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_exists, tenant_context

from tenants.outbox.models import OutboxMessage
from tests.support.cast import PASSWORD, PLATFORM_HOST, client_for, spec_for
from tijdvoorelkaar.neighbourhoods import services
from tijdvoorelkaar.neighbourhoods.forms import SettingsForm
from tijdvoorelkaar.neighbourhoods.models import Domain, Neighbourhood, ProvisioningJob
from tijdvoorelkaar.neighbourhoods.services import provision_neighbourhood
from tijdvoorelkaar.neighbourhoods.spares import spares_ready
from tijdvoorelkaar.sites import site_url

pytestmark = pytest.mark.django_db

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


class _Tags(HTMLParser):
    """Collects the attributes of every element that has an id."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str | None]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.by_id[found["id"]] = {"tag": tag, **found}  # type: ignore[index]


def _element(response, element_id: str) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    parser = _Tags()
    parser.feed(response.content.decode())
    return parser.by_id[element_id]


@pytest.fixture(autouse=True)
def _forget_cached_hosts() -> Iterator[None]:
    # The rolled-back changes made here (archived, a new tagline) must not outlive the test in
    # the host-lookup cache; tests/conftest.py clears only the default cache.
    yield
    caches["platform"].clear()


@pytest.fixture
def console(operator_client: Client) -> Client:
    """The operator, reading the console in English so that messages can be asserted."""
    operator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return operator_client


def _new_neighbourhood_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Breda Hoge Vucht",
        "slug": "hoge-vucht",
        "domains": "hoge-vucht.test\nwww.hoge-vucht.test",
        "admin_name": "Anna Admin",
        "admin_email": "anna@hoge-vucht.test",
        "theme": "baksteen",
        "languages": ["nl", "en"],
        "credit_name": "Roosjes",
        "reporting_year_start_month": "1",
        "moderation": "before",
        "ad_lifetime_weeks": "8",
        "support_conversation_limit": "3",
        "follow_up_weeks": "2,6",
        "broker_phone": "076 000 00 00",
    }
    data.update(overrides)
    return data


def _settings_form(neighbourhood: Neighbourhood, **changes: object) -> dict[str, object]:
    data = SettingsForm.initial_from(neighbourhood)
    data.update(changes)
    return {name: value for name, value in data.items() if value not in (False, None)}


# Who gets in


def test_an_anonymous_visitor_is_sent_to_the_login_page(cast) -> None:
    response = Client(HTTP_HOST=PLATFORM_HOST).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_a_neighbourhood_admins_session_is_anonymous_on_the_platform_host(cast) -> None:
    session = client_for(cast.a.host, cast.a.neighbourhood, cast.a.admin).cookies["sessionid"]
    client = Client(HTTP_HOST=PLATFORM_HOST)
    client.cookies["sessionid"] = session.value
    response = client.get("/")
    assert response.wsgi_request.user.is_anonymous
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_neighbourhood_admins_token_does_not_open_the_console(cast) -> None:
    client = Client(HTTP_HOST=PLATFORM_HOST, HTTP_AUTHORIZATION=f"Token {cast.a.admin.token}")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_neighbourhood_admin_cannot_log_in_on_the_platform_host(cast) -> None:
    client = Client(HTTP_HOST=PLATFORM_HOST)
    client.post("/accounts/login/", {"username": cast.a.admin.user.email, "password": PASSWORD})
    assert client.get("/").status_code == 302


# The dashboard


def test_the_dashboard_lists_both_neighbourhoods_with_links(cast, console) -> None:
    response = console.get("/")
    assert response.status_code == 200
    for place in (cast.a, cast.b):
        neighbourhood = place.neighbourhood
        assert f'href="/neighbourhoods/{neighbourhood.slug}/"' in response.content.decode()
        assert f'href="{site_url(neighbourhood)}"' in response.content.decode()
        assert neighbourhood.name in response.content.decode()
    assert site_url(cast.a.neighbourhood) == "http://wijk-a.test/"


def test_a_neighbourhood_without_a_domain_shows_none_not_a_broken_link(cast, console) -> None:
    # A backup restored as a copy has no domain: the console showed "http://:8000/" as its site.
    Domain.objects.filter(tenant=cast.b.neighbourhood).delete()
    dashboard = console.get("/").content.decode()
    page = console.get(f"/neighbourhoods/{cast.b.neighbourhood.slug}/").content.decode()
    for html in (dashboard, page):
        assert "http://:" not in html and 'href="http://:' not in html
    assert f'href="{site_url(cast.a.neighbourhood)}"' in dashboard  # the other keeps its link
    assert "Domains: none" in page


def test_the_dashboard_costs_the_same_queries_however_many_neighbourhoods(cast, console) -> None:
    console.get("/")  # warm up: sessions, translations
    with CaptureQueriesContext(connection) as two:
        console.get("/")
    provision_neighbourhood(spec=spec_for("derde-wijk"))
    with CaptureQueriesContext(connection) as three:
        response = console.get("/")
    assert b"Derde Wijk" in response.content
    assert len(three) == len(two)


# Creating a neighbourhood


def test_the_form_creates_a_neighbourhood_end_to_end(
    cast, console, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post("/neighbourhoods/new/", _new_neighbourhood_form())
    job = ProvisioningJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"

    page = console.get(response["Location"])
    assert page.status_code == 200
    assert b"Done." in page.content
    assert b'href="/neighbourhoods/hoge-vucht/"' in page.content
    assert _element(page, "job-bar")["value"] == "100"

    neighbourhood = Neighbourhood.objects.get(slug="hoge-vucht")
    assert job.status == ProvisioningJob.Status.DONE
    assert job.neighbourhood == neighbourhood
    assert job.requested_by == cast.operator.user
    assert (neighbourhood.theme, neighbourhood.moderation) == ("baksteen", "before")
    assert neighbourhood.reporting_year_start_month == 1
    assert neighbourhood.broker_phone == "076 000 00 00"
    assert list(
        Domain.objects.filter(tenant=neighbourhood).values_list("domain", "is_primary")
    ) == [
        ("hoge-vucht.test", True),
        ("www.hoge-vucht.test", False),
    ]
    assert schema_exists("nb_hoge_vucht")
    assert [m.to for m in mail.outbox] == [["anna@hoge-vucht.test"]]
    assert "http://hoge-vucht.test/accounts/invitation/" in mail.outbox[0].body
    assert job.request["admin_email"] == ""  # no contact data kept once the job ended


def test_the_new_neighbourhood_page_shows_an_empty_form(console) -> None:
    response = console.get("/neighbourhoods/new/")
    assert response.status_code == 200
    assert _element(response, "id_slug")["tag"] == "input"
    assert _element(response, "id_domains")["tag"] == "textarea"


def test_the_new_neighbourhood_page_says_whether_a_spare_is_ready(console, settings) -> None:
    settings.PROVISIONING_SPARE_SCHEMAS = 5
    ready, kept = spares_ready()
    text = console.get("/neighbourhoods/new/").content.decode()
    assert kept == 5
    if ready:
        assert f"Prepared empty neighbourhoods ready: {ready} of 5." in text
    else:
        assert "Prepared empty neighbourhoods ready: none of 5, so this one takes" in text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"slug": "www"}, "slug", "is a reserved name"),
        ({"slug": "wijk-a"}, "slug", "already exists"),
        ({"domains": "wijk-a.test"}, "domains", "Already in use: wijk-a.test."),
        ({"domains": "not a domain"}, "domains", "is not a valid domain name"),
        ({"name": "N" * 81}, "name", "at most 80 characters"),
        ({"admin_email": "not-an-address"}, "admin_email", "valid email address"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_creates_nothing(
    cast, console, django_capture_on_commit_callbacks, overrides, field, message
) -> None:
    before = (Neighbourhood.objects.count(), Domain.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post("/neighbourhoods/new/", _new_neighbourhood_form(**overrides))
    assert response.status_code == 400
    assert _element(response, f"id_{field}")["aria-invalid"] == "true"
    errors = _element(response, f"id_{field}_errors")
    assert errors["tag"] == "ul"
    assert f"id_{field}_errors" in (_element(response, f"id_{field}")["aria-describedby"] or "")
    assert message in response.content.decode()
    assert (Neighbourhood.objects.count(), Domain.objects.count()) == before
    assert not ProvisioningJob.objects.exists()
    assert not schema_exists("nb_hoge_vucht")
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("weeks", "message"),
    [
        ("2,x", "Getal 2 in de lijst: Voer een geheel getal in."),
        ("99", "Getal 1 in de lijst: Zorg ervoor dat deze waarde hoogstens 52 is."),
        ("1,2,3,4,5,6", "Geef hoogstens 5 weken."),
    ],
)
def test_the_follow_up_weeks_errors_are_in_the_pages_language(
    cast, operator_client, weeks, message
) -> None:
    operator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    form = _new_neighbourhood_form(follow_up_weeks=weeks)
    response = operator_client.post("/neighbourhoods/new/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "array" not in response.content.decode()


def test_the_credit_name_may_be_left_empty_when_credits_are_off(
    cast, console, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post("/neighbourhoods/new/", _new_neighbourhood_form(credit_name=""))
    assert response.status_code == 302
    assert Neighbourhood.objects.filter(slug="hoge-vucht").exists()


def test_the_job_page_for_htmx_returns_only_the_progress_fragment(
    cast, console, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        location = console.post("/neighbourhoods/new/", _new_neighbourhood_form())["Location"]
    response = console.get(location, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.startswith('<div id="job-progress"')
    assert "<html" not in content and "<h1" not in content
    assert "hx-get" not in content  # done: the page stops polling
    assert "<html" in console.get(location).content.decode()


def test_the_job_page_polls_while_the_job_waits_for_a_worker(cast, console) -> None:
    # No on-commit callbacks run here: the job stays queued, as before a worker picks it up.
    location = console.post("/neighbourhoods/new/", _new_neighbourhood_form())["Location"]
    response = console.get(location, HTTP_HX_REQUEST="true")
    progress = _element(response, "job-progress")
    assert progress["hx-get"] == f"{location}?shown=queued%3A"
    assert progress["hx-trigger"] == "every 1s"
    assert ProvisioningJob.objects.get().status == ProvisioningJob.Status.QUEUED
    assert not Neighbourhood.objects.filter(slug="hoge-vucht").exists()


def test_a_poll_rewrites_the_pages_live_region_only_when_the_status_changed(cast, console) -> None:
    location = console.post("/neighbourhoods/new/", _new_neighbourhood_form())["Location"]
    page = console.get(location).content.decode()
    assert '<p role="status" id="job-status">' in page  # the one live region, outside the poll
    unchanged = console.get(f"{location}?shown=queued%3A", HTTP_HX_REQUEST="true")
    assert 'id="job-status"' not in unchanged.content.decode()  # nothing to announce again
    ProvisioningJob.objects.update(status=ProvisioningJob.Status.FAILED, error="Mis.")
    changed = console.get(f"{location}?shown=queued%3A", HTTP_HX_REQUEST="true")
    oob = _element(changed, "job-status")
    assert oob["hx-swap-oob"] == "innerHTML"
    assert "Mis." in changed.content.decode()


def test_a_job_that_fails_midway_shows_the_failure_and_leaves_nothing(
    cast, console, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def broken_seed(neighbourhood: Neighbourhood) -> None:
        raise RuntimeError("seed step failed")

    monkeypatch.setattr(services, "_seed", broken_seed)
    with django_capture_on_commit_callbacks(execute=True):
        location = console.post("/neighbourhoods/new/", _new_neighbourhood_form())["Location"]
    page = console.get(location)
    assert ProvisioningJob.objects.get().status == ProvisioningJob.Status.FAILED
    assert b"Provisioning failed (RuntimeError); nothing was created." in page.content
    assert b'href="/neighbourhoods/new/"' in page.content
    assert not Neighbourhood.objects.filter(slug="hoge-vucht").exists()
    assert not Domain.objects.filter(domain__endswith="hoge-vucht.test").exists()
    assert not schema_exists("nb_hoge_vucht")
    assert mail.outbox == []


def test_an_unknown_job_is_not_found(console) -> None:
    assert console.get("/jobs/00000000-0000-0000-0000-000000000000/").status_code == 404


# A neighbourhood's page


def test_a_settings_change_on_the_neighbourhood_page_is_saved(cast, console) -> None:
    neighbourhood = cast.a.neighbourhood
    response = console.post(
        "/neighbourhoods/wijk-a/", _settings_form(neighbourhood, tagline="Samen in de wijk")
    )
    assert response.status_code == 302
    assert response["Location"] == "/neighbourhoods/wijk-a/"
    assert Neighbourhood.objects.get(pk=neighbourhood.pk).tagline == "Samen in de wijk"
    assert b"Settings saved." in console.get("/neighbourhoods/wijk-a/").content
    assert b"Samen in de wijk" in cast.a.client().get("/").content


def test_an_accent_colour_without_enough_contrast_is_refused(cast, console) -> None:
    neighbourhood = cast.a.neighbourhood
    response = console.post(
        "/neighbourhoods/wijk-a/", _settings_form(neighbourhood, accent_colour="#ffff00")
    )
    assert response.status_code == 400
    assert _element(response, "id_accent_colour")["aria-invalid"] == "true"
    assert b"too light or too dark to read text on" in response.content
    assert b"at least 4.5:1 needed" in response.content
    assert Neighbourhood.objects.get(pk=neighbourhood.pk).accent_colour == ""


def test_an_unknown_neighbourhood_page_is_not_found(console) -> None:
    assert console.get("/neighbourhoods/no-such-place/").status_code == 404


def test_archiving_closes_the_site_and_reopening_brings_it_back(cast, console) -> None:
    site = Client(HTTP_HOST=cast.a.host)
    assert site.get("/").status_code == 200  # the host lookup is cached from here on

    response = console.post("/neighbourhoods/wijk-a/archive/")
    assert response.status_code == 302
    assert Neighbourhood.objects.get(slug="wijk-a").is_archived
    closed = site.get("/")
    assert closed.status_code == 410
    assert cast.a.neighbourhood.name.encode() in closed.content
    assert b'name="action" value="reopen"' in console.get("/neighbourhoods/wijk-a/").content

    console.post("/neighbourhoods/wijk-a/archive/", {"action": "reopen"})
    reopened = Neighbourhood.objects.get(slug="wijk-a")
    assert (reopened.status, reopened.archived_at) == (Neighbourhood.Status.ACTIVE, None)
    assert site.get("/").status_code == 200
    assert Client(HTTP_HOST=cast.b.host).get("/").status_code == 200


def test_the_admin_invitation_can_be_sent_again_while_not_accepted(
    cast, console, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        provision_neighbourhood(spec=spec_for("lombok"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post("/neighbourhoods/lombok/invite/")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["admin@lombok.test"]]
    assert "http://lombok.test/accounts/invitation/" in mail.outbox[0].body
    assert b"The invitation was sent again." in console.get("/neighbourhoods/lombok/").content
    with tenant_context(Neighbourhood.objects.get(slug="lombok")):
        assert OutboxMessage.objects.filter(purpose="invitation").count() == 2


def test_no_invitation_is_sent_when_every_admin_has_accepted(
    cast, console, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post("/neighbourhoods/wijk-a/invite/")
    assert response.status_code == 302
    assert mail.outbox == []
    page = console.get("/neighbourhoods/wijk-a/")
    assert b"Every admin has already accepted their invitation." in page.content


def test_the_delete_page_asks_for_the_slug(cast, console) -> None:
    response = console.get("/neighbourhoods/wijk-b/delete/")
    assert response.status_code == 200
    assert _element(response, "id_confirm_slug")["tag"] == "input"
    assert Neighbourhood.objects.filter(slug="wijk-b").exists()


# The demo inbox


def test_the_inbox_is_not_found_unless_it_and_the_file_backend_are_on(
    cast, console, settings, tmp_path
) -> None:
    settings.MAIL_INBOX_DIR = tmp_path
    settings.MAIL_INBOX_ENABLED = True  # but mail still goes to memory
    assert console.get("/inbox/").status_code == 404
    settings.MAIL_INBOX_ENABLED = False
    settings.EMAIL_BACKEND = FILE_BACKEND
    assert console.get("/inbox/").status_code == 404
    assert console.get("/inbox/x.0/").status_code == 404


def test_the_inbox_lists_and_shows_the_mail_the_file_backend_wrote(
    cast, console, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    settings.MAIL_INBOX_ENABLED = True
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.MAIL_INBOX_DIR = tmp_path
    assert b"No mail yet." in console.get("/inbox/").content
    with django_capture_on_commit_callbacks(execute=True):
        provision_neighbourhood(spec=spec_for("zuilen"))
    [written] = tmp_path.glob("*.log")
    assert written.stat().st_size > 0

    inbox = console.get("/inbox/")
    assert inbox.status_code == 200
    assert b"admin@zuilen.test" in inbox.content
    name = f"{written.stem}.0"
    assert f'href="/inbox/{name}/"'.encode() in inbox.content

    message = console.get(f"/inbox/{name}/")
    assert message.status_code == 200
    assert b"Zuilen" in message.content
    assert b"http://zuilen.test/accounts/invitation/" in message.content
    assert console.get("/inbox/no-such-mail.0/").status_code == 404


def test_the_inbox_is_for_operators_only(cast, settings, tmp_path) -> None:
    settings.MAIL_INBOX_ENABLED = True
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.MAIL_INBOX_DIR = tmp_path
    response = Client(HTTP_HOST=PLATFORM_HOST).get("/inbox/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/inbox/"


def test_the_inbox_decodes_each_mail_by_its_charset_and_transfer_encoding(
    cast, console, settings, tmp_path
) -> None:
    settings.MAIL_INBOX_ENABLED = True
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.MAIL_INBOX_DIR = tmp_path
    long_line = "één " * 300  # past 998 characters: Django sends it quoted-printable
    with mail.get_connection() as connection:
        for subject, body in (("8bit", "Hallo, één advertentie."), ("qp", long_line)):
            mail.EmailMessage(subject, body, to=["a@zuilen.test"], connection=connection).send()
    # And base64, as other mailers write it, in the file backend's format.
    base64_mail = MIMEText("Zoë heeft één vraag.", "plain", "utf-8")
    base64_mail["Subject"], base64_mail["To"] = "base64", "a@zuilen.test"
    [written] = tmp_path.glob("*.log")
    with written.open("ab") as log:
        log.write(base64_mail.as_bytes() + b"\n" + b"-" * 79 + b"\n")
    assert b"Content-Transfer-Encoding: base64" in written.read_bytes()
    assert b"Content-Transfer-Encoding: quoted-printable" in written.read_bytes()

    shown = [console.get(f"/inbox/{written.stem}.{index}/") for index in range(3)]
    assert "Hallo, één advertentie." in shown[0].content.decode()
    assert long_line.strip() in shown[1].content.decode()
    assert "Zoë heeft één vraag." in shown[2].content.decode()
    assert all("\ufffd" not in response.content.decode() for response in shown)


def test_try_again_after_a_failed_provisioning_opens_the_form_with_what_it_asked(
    cast, console
) -> None:
    asked = spec_for("nog-eens", theme="kade").as_dict() | {"admin_email": "", "admin_name": ""}
    job = ProvisioningJob.objects.create(request=asked, status=ProvisioningJob.Status.FAILED)

    page = console.get(f"/jobs/{job.pk}/").content.decode()
    assert f'href="/neighbourhoods/new/?again={job.pk}"' in page
    form = console.get(f"/neighbourhoods/new/?again={job.pk}").content.decode()
    assert 'value="nog-eens"' in form and "nog-eens.test</textarea>" in form
    assert '<option value="kade" selected>' in form
    assert 'name="admin_email"' in form and 'name="admin_email" value' not in form  # retyped

    for odd in ("not-a-job", "00000000-0000-0000-0000-000000000000"):
        again = console.get(f"/neighbourhoods/new/?again={odd}")
        assert again.status_code == 200 and 'name="slug" value' not in again.content.decode()
