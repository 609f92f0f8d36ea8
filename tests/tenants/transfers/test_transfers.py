"""Import and export of participants and mediations: encodings, delimiters, XLSX, broken
rows, unknown columns, duplicates, only the good rows, all or nothing, round trip."""

from __future__ import annotations

import codecs
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.mediations.models import Mediation
from tenants.mediations.services import set_mediation_status, start_mediation
from tenants.organisations.services import create_organisation
from tenants.people.models import Consent, ConsentTopic, Participant
from tenants.people.services.participants import register_participant
from tenants.transfers import services as transfer_services
from tenants.transfers.preview.characters import flag_unusual_names, unusual_characters
from tenants.transfers.preview.checks import check_rows
from tenants.transfers.preview.columns import FIELD_LABELS, map_columns, mapped_rows
from tenants.transfers.reading import read_table
from tests.support.cast import client_for

pytestmark = pytest.mark.django_db

OUTLOOK_HEADER = (
    '"First Name","Middle Name","Last Name","E-mail Address","Mobile Phone","Home Phone",'
    '"Home Street","Home Postal Code","Notes","Birthday"\r\n'
)


def _outlook_cp1252() -> bytes:
    text = OUTLOOK_HEADER + (
        '"Renée","","Eëlens","renee@example.nl","06-12345678","","Ëikenlaan 3","3524 AB",'
        '"Café-bezoek","1.1.00"\r\n'
        '"Zoë","de","Vries","","","030 2345678","","","",""\r\n'
        '"","","","nonaam@example.nl","","","","","",""\r\n'
        '"Kees","","Jansen","kees(at)example","","","","","",""\r\n'
        '"Karel","","Dubbel","RENEE@example.nl","","","","","",""\r\n'
    )
    return text.encode("cp1252")


def _preview(place, kind: str, name: str, data: bytes):  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood), translation.override("en"):
        table = read_table(name=name, data=data)
        columns = map_columns(kind, table.headers)
        return columns, check_rows(kind, mapped_rows(table, columns))


def test_an_outlook_export_in_windows_1252_is_read_with_errors_per_row(cast) -> None:
    columns, rows = _preview(cast.a, "participants", "contacts.csv", _outlook_cp1252())
    assert columns.unknown == ["Birthday"] and columns.ignored == ["Notes"]
    renee, zoe, nameless, bad_mail, same_mail = rows
    assert renee.ok and renee.cleaned["full_name"] == "Renée Eëlens"
    assert renee.cleaned["display_name"] == "Renée"
    assert renee.cleaned["street_address"] == "Ëikenlaan 3"
    assert renee.cleaned["phone"] == "0612345678"
    assert zoe.ok and zoe.cleaned["full_name"] == "Zoë de Vries"
    assert zoe.cleaned["phone"] == "0302345678"
    assert nameless.errors == ["The name is missing."]
    assert bad_mail.errors == ["The e-mail address is not valid."]
    assert same_mail.errors == ["The same e-mail address as row 2."]
    assert [row.line for row in rows] == [2, 3, 4, 5, 6]


def test_a_semicolon_csv_with_dutch_headers_and_a_bom_and_existing_duplicates(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        existing = register_participant(display_name="Piet", phone="030-111 22 33")
    data = (
        "\ufeffVoornaam;Achternaam;E-mailadres;Telefoon;Postcode;Wijk;Kleur\n"
        "Fatma;Yilmaz;fatma@example.nl;0301112233;3523 CD;;blauw\n"
        "Jan;Smit;;;;Nergensland;\n"
        ";;;;;;\n"
        "Els;Bos;els@example.nl;;;;\n"
    ).encode()
    columns, rows = _preview(cast.a, "participants", "lijst.csv", data)
    assert columns.unknown == ["Kleur"]
    fatma, jan, els = rows  # the empty line is skipped
    assert fatma.errors == [f"Already registered: participant {existing.pk} has this phone number."]
    assert jan.errors == ["Unknown sub-area."]
    assert els.ok and els.line == 5


def _mediation_sheet(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Vrager", "Aanbieder", "Gestart op", "Status", "Einddatum", "Reden", "Actief"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_excel_sheet_of_mediations_matches_people_by_mail_phone_or_name(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        anna = register_participant(display_name="Anna", email="anna@example.nl")
        bert = register_participant(display_name="Bert", full_name="Bert Bakker", phone="0612")
        cor = register_participant(display_name="Cor", phone="06-11122233")
        school = create_organisation(by=None, name="Basisschool De Regenboog")
    day = datetime.datetime(2024, 3, 5)  # noqa: DTZ001 - a spreadsheet cell
    data = _mediation_sheet(
        [
            ["anna@example.nl", "Bert Bakker", day, "koppeling", "2024-04-01", "Klus", "ja"],
            ["0611122233", "anna@example.nl", "05-03-2024", "", "", "", "nee"],
            ["Anna", "Basisschool De Regenboog", "2024-03-06", "open", "", "", "x"],
            ["onbekend@example.nl", "Anna", "2024-13-01", "misschien", "", "", "soms"],
            ["Anna", "Anna", "2099-01-01", "geannuleerd", "", "", "nee"],
            ["anna@example.nl", "Bert Bakker", "2024-03-05", "open", "", "", "ja"],
        ]
    )
    _, rows = _preview(cast.a, "mediations", "bemiddelingen.xlsx", data)
    first, second, third, broken, self_help, duplicate = rows
    assert first.ok and first.cleaned["requester"] == anna and first.cleaned["provider"] == bert
    assert first.cleaned["started_on"] == datetime.date(2024, 3, 5) and first.cleaned["active"]
    assert second.ok and second.cleaned["requester"] == cor and not second.cleaned["active"]
    assert third.ok and third.cleaned["organisation"] == school
    assert broken.errors == [
        "Requester: no participant with this e-mail.",
        "The start date is missing or not a date (use 2024-03-31).",
        "Unknown status.",
        "Active must be yes or no.",
    ]
    assert "Requester and provider are the same person." in self_help.errors
    assert "The start date is in the future." in self_help.errors
    assert "An ended mediation needs an end date." in self_help.errors
    assert duplicate.errors == ["The same mediation as row 2."]


def _in_both_languages(text) -> set[str]:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        english = str(text())
    with translation.override("nl"):
        return {english, str(text())}


def _upload(place, member, data: bytes, name: str, kind: str):  # type: ignore[no-untyped-def]
    client = place.client(member)
    response = client.post(
        "/broker/transfers/",
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )
    return client, response


def test_nothing_is_imported_while_errors_remain_unless_only_the_good_rows(cast) -> None:
    client, response = _upload(
        cast.a, cast.a.broker, _outlook_cp1252(), "contacts.csv", "participants"
    )
    assert response.status_code == 302 and response["Location"] == "/broker/transfers/preview/"
    preview = client.get("/broker/transfers/preview/")
    page = preview.content.decode()
    assert "Renée" in page and "Birthday" in page and "Café" not in page
    refused = client.post("/broker/transfers/preview/", {"action": "import"})
    assert refused.status_code == 400
    with tenant_context(cast.a.neighbourhood):
        assert not Participant.objects.exists()
    done = client.post(
        "/broker/transfers/preview/",
        {"action": "import", "only_good_rows": "on", "consent_confirmed": "on"},
    )
    assert done.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        assert sorted(Participant.objects.values_list("display_name", flat=True)) == [
            "Renée",
            "Zoë",
        ]
        event = AuditEvent.objects.get(action="transfers.imported")
        assert event.detail == {
            "kind": "participants",
            "imported": 2,
            "skipped": 3,
            "consent": "registration_confirmed_at_import",
        }
    assert client.get("/broker/transfers/preview/").status_code == 302  # the upload is gone


def test_a_row_failing_at_write_time_leaves_nothing_half_imported(cast, monkeypatch) -> None:
    calls = []
    original = transfer_services.register_participant

    def failing_second(**fields):  # type: ignore[no-untyped-def]
        calls.append(fields["display_name"])
        if len(calls) == 2:
            raise ValidationError({"email": ["refused by the database"]})
        return original(**fields)

    monkeypatch.setattr(transfer_services, "register_participant", failing_second)
    data = b"display_name,email\nAnna,anna@example.nl\nBert,bert@example.nl\nCor,\n"
    client = client_for(cast.a.host)
    response = client.post(
        "/api/v1/transfers/import/",
        {
            "kind": "participants",
            "file": SimpleUploadedFile("p.csv", data),
            "consent_confirmed": "true",
        },
        HTTP_AUTHORIZATION=f"Token {cast.a.broker.token}",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["rows"][1]["errors"] == ["refused by the database"]
    with tenant_context(cast.a.neighbourhood):
        assert not Participant.objects.exists()
        assert not AuditEvent.objects.filter(action__startswith="participant.").exists()


def test_the_api_previews_and_imports_and_refuses_other_roles(cast) -> None:
    data = b"Voornaam;E-mailadres;Onbekend\nMira;mira@example.nl;x\n;;y\n"
    client = client_for(cast.a.host)
    auth = {"HTTP_AUTHORIZATION": f"Token {cast.a.broker.token}"}
    preview = client.post(
        "/api/v1/transfers/preview/",
        {"kind": "participants", "file": SimpleUploadedFile("p.csv", data)},
        **auth,
    )
    assert preview.status_code == 200
    body = preview.json()
    assert body["unknown_columns"] == ["Onbekend"] and body["rows_with_errors"] == 1
    assert body["rows"][0] == {
        "line": 2,
        "values": {"first_name": "Mira", "email": "mira@example.nl"},
        "errors": [],
        "warnings": [],
    }
    imported = client.post(
        "/api/v1/transfers/import/",
        {
            "kind": "participants",
            "file": SimpleUploadedFile("p.csv", data),
            "only_good_rows": "true",
            "consent_confirmed": "true",
        },
        **auth,
    )
    assert imported.status_code == 201 and imported.json()["imported"] == 1
    not_xlsx = client.post(
        "/api/v1/transfers/preview/",
        {"kind": "mediations", "file": SimpleUploadedFile("m.xlsx", b"PK\x03\x04broken")},
        **auth,
    )
    assert not_xlsx.status_code == 400 and "file" in not_xlsx.json()
    no_columns = client.post(
        "/api/v1/transfers/preview/",
        {"kind": "mediations", "file": SimpleUploadedFile("m.csv", b"a,b\n1,2\n")},
        **auth,
    )
    assert no_columns.status_code == 400
    export = client.get("/api/v1/transfers/export/?kind=participants&file_format=xlsx", **auth)
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]
    assert [row["display_name"] for row in _table_of(export)] == ["Mira"]
    bad_export = client.get("/api/v1/transfers/export/?kind=secrets&file_format=csv", **auth)
    assert bad_export.status_code == 400
    for token in (cast.a.resident.token,):
        for path in ("/api/v1/transfers/preview/", "/api/v1/transfers/import/"):
            denied = client.post(path, {}, HTTP_AUTHORIZATION=f"Token {token}")
            assert denied.status_code == 403
        export = client.get(
            "/api/v1/transfers/export/?kind=participants&file_format=csv",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
        assert export.status_code == 403
    for page in ("/broker/transfers/", "/broker/transfers/preview/"):
        assert cast.a.client(cast.a.resident).get(page).status_code == 403
    export_page = "/broker/transfers/export/?kind=participants&file_format=csv"
    assert cast.a.client(cast.a.resident).get(export_page).status_code == 403


def _table_of(response, kind: str = "participants") -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The exported rows by field name, read back through the import's own column names."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    name = "x.xlsx" if "spreadsheet" in response["Content-Type"] else "x.csv"
    table = read_table(name=name, data=content)
    return [cells for _, cells in mapped_rows(table, map_columns(kind, table.headers))]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_round_trips_into_another_neighbourhood(cast, file_format: str) -> None:
    with tenant_context(cast.a.neighbourhood):
        anna = register_participant(
            display_name="Anna", full_name="Anna Özdemir", email="anna@example.nl"
        )
        bert = register_participant(display_name="Bert", phone="+31 6 1234 5678")
        register_participant(display_name="=HYPERLINK(1)", full_name="Formule Frans")
        school = create_organisation(by=None, name="Scouting Hoograven")
        started = timezone.localdate() - datetime.timedelta(days=30)
        matched = start_mediation(requester=anna, provider=bert, active=True, started_on=started)
        set_mediation_status(
            mediation=matched, status="match", ended_on=started, reason="Samen gekookt"
        )
        start_mediation(requester=bert, organisation=school, active=False, started_on=started)
    broker_a = cast.a.client(cast.a.broker)
    people = broker_a.get(f"/broker/transfers/export/?kind=participants&file_format={file_format}")
    mediations = broker_a.get(
        f"/broker/transfers/export/?kind=mediations&file_format={file_format}"
    )
    assert people.status_code == 200 and people["Cache-Control"] == "no-store"
    rows = _table_of(people)
    assert {row["display_name"] for row in rows} == {"Anna", "Bert", "=HYPERLINK(1)"}
    if file_format == "csv":
        assert b"'=HYPERLINK(1)" in people.content  # not run as a formula by a spreadsheet
    with tenant_context(cast.a.neighbourhood):
        exports = {
            e.detail["kind"]: e.detail
            for e in AuditEvent.objects.filter(action="transfers.exported")
        }
        assert sorted(exports) == ["mediations", "participants"]
        assert exports["participants"]["ids"] == sorted(
            Participant.objects.values_list("pk", flat=True)
        )
        assert exports["mediations"]["ids"] == sorted(
            Mediation.objects.values_list("pk", flat=True)
        )
        assert "Anna" not in str(exports)  # ids only
    # Into B: the participants first, then the mediations that name them.
    with tenant_context(cast.b.neighbourhood):
        create_organisation(by=None, name="Scouting Hoograven")
    api = client_for(cast.b.host)
    auth = {"HTTP_AUTHORIZATION": f"Token {cast.b.broker.token}"}
    for kind, response in (("participants", people), ("mediations", mediations)):
        imported = api.post(
            "/api/v1/transfers/import/",
            {
                "kind": kind,
                "file": SimpleUploadedFile(f"x.{file_format}", response.content),
                "consent_confirmed": "true",
            },
            **auth,
        )
        assert imported.status_code == 201, imported.json()
    with tenant_context(cast.b.neighbourhood):
        copied = {p.display_name: p for p in Participant.objects.all()}
        assert copied["Anna"].full_name == "Anna Özdemir" and copied["Bert"].phone == "+31612345678"
        assert "=HYPERLINK(1)" in copied
        statuses = sorted(Mediation.objects.values_list("status", "active", "reason"))
        assert statuses == [("match", True, "Samen gekookt"), ("open", False, "")]


def test_a_broker_of_b_exports_nothing_of_a(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        register_participant(display_name="Alleen in A", email="a-only@example.nl")
    response = cast.b.client(cast.b.broker).get(
        "/broker/transfers/export/?kind=participants&file_format=csv"
    )
    assert response.status_code == 200 and b"a-only@example.nl" not in response.content
    assert cast.b.client(cast.b.broker).get("/broker/transfers/export/?kind=x").status_code == 404


def test_participants_are_imported_only_with_their_earlier_consent_which_is_recorded(
    cast,
) -> None:
    data = b"display_name,email\nAnna,anna@example.nl\nBert,bert@example.nl\n"
    client, _response = _upload(cast.a, cast.a.broker, data, "p.csv", "participants")
    page = client.get("/broker/transfers/preview/").content.decode()
    assert 'name="consent_confirmed"' in page and 'name="only_good_rows"' not in page
    refused = client.post("/broker/transfers/preview/", {"action": "import"})
    assert refused.status_code == 400
    assert 'id="id_consent_confirmed_errors"' in refused.content.decode()
    api = client_for(cast.a.host)
    auth = {"HTTP_AUTHORIZATION": f"Token {cast.a.broker.token}"}
    by_api = api.post(
        "/api/v1/transfers/import/",
        {"kind": "participants", "file": SimpleUploadedFile("p.csv", data)},
        **auth,
    )
    assert by_api.status_code == 400
    assert by_api.json()["detail"] in _in_both_languages(transfer_services.consent_refusal)
    with tenant_context(cast.a.neighbourhood):
        assert not Participant.objects.exists()
    before = timezone.now()
    done = client.post(
        "/broker/transfers/preview/", {"action": "import", "consent_confirmed": "on"}
    )
    assert done.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        consents = Consent.objects.filter(topic=ConsentTopic.REGISTRATION)
        assert sorted(c.participant.display_name for c in consents) == ["Anna", "Bert"]
        assert {c.recorded_by_id for c in consents} == {cast.a.broker.user.pk}
        assert all(c.given_at >= before and c.is_standing for c in consents)


def test_mediations_need_no_consent_question(cast) -> None:
    data = b"requester,provider,started_on\nx,y,2025-01-01\n"
    client, _response = _upload(cast.a, cast.a.broker, data, "m.csv", "mediations")
    assert (
        'name="consent_confirmed"' not in client.get("/broker/transfers/preview/").content.decode()
    )


def test_imported_endings_without_a_match_and_without_a_reason_are_marked(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        register_participant(display_name="Anna", email="anna@example.nl")
        register_participant(display_name="Bert", email="bert@example.nl")
    data = (
        b"requester,provider,started_on,status,ended_on,reason\n"
        b"anna@example.nl,bert@example.nl,2024-03-01,geen koppeling,2024-04-01,\n"
        b"bert@example.nl,anna@example.nl,2024-03-02,geannuleerd,2024-04-01,Verhuisd\n"
        b"anna@example.nl,bert@example.nl,2024-03-03,koppeling,2024-04-01,\n"
    )
    response = client_for(cast.a.host).post(
        "/api/v1/transfers/import/",
        {"kind": "mediations", "file": SimpleUploadedFile("m.csv", data)},
        HTTP_AUTHORIZATION=f"Token {cast.a.broker.token}",
    )
    assert response.status_code == 201, response.json()
    with tenant_context(cast.a.neighbourhood):
        reasons = dict(Mediation.objects.values_list("status", "reason"))
    assert reasons["no_match"] in _in_both_languages(lambda: _("Imported without a reason"))
    assert (reasons["cancelled"], reasons["match"]) == ("Verhuisd", "")


@pytest.mark.parametrize("cell", ["=1+1", "+31 6 bad", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"])
def test_a_cell_a_spreadsheet_would_run_is_exported_as_text(cell: str) -> None:
    from tijdvoorelkaar.spreadsheets import safe_cell as _safe

    assert _safe(cell) == "'" + cell


def test_numbers_and_names_are_exported_as_they_are() -> None:
    from tijdvoorelkaar.spreadsheets import safe_cell as _safe

    assert [_safe(v) for v in ("+31 6 1234 5678", "-5", "Truus", 7)] == [
        "+31 6 1234 5678",
        "-5",
        "Truus",
        7,
    ]


# The names of issue 10: an Outlook export (semicolons, Windows-1252) a detector took for a
# Baltic code page ("Zoļ M³ller", "ųmer Ūelik").
OUTLOOK_SEMICOLONS = (
    "Voornaam;Achternaam;E-mailadres\r\nZoë;Müller;zoe@example.nl\r\nÖmer;Çelik;\r\n"
)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (OUTLOOK_SEMICOLONS.encode("cp1252"), "windows-1252"),
        (OUTLOOK_SEMICOLONS.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + OUTLOOK_SEMICOLONS.encode("utf-8"), "utf-8"),
    ],
    ids=["windows-1252", "utf-8", "utf-8 with BOM"],
)
def test_outlook_names_read_right_in_either_encoding_and_are_not_flagged(
    cast, data: bytes, encoding: str
) -> None:
    _columns, rows = _preview(cast.a, "participants", "contacts.csv", data)
    assert [row.cleaned["full_name"] for row in rows] == ["Zoë Müller", "Ömer Çelik"]
    assert all(row.ok for row in rows)
    assert read_table(name="contacts.csv", data=data).encoding == encoding
    flag_unusual_names(rows, encoding)
    assert [row.warnings for row in rows] == [[], []]


def test_names_read_with_the_wrong_encoding_are_flagged(cast) -> None:
    cp1252 = OUTLOOK_SEMICOLONS.encode("cp1252")
    utf8 = OUTLOOK_SEMICOLONS.encode("utf-8")
    for data, wrong, misread in (
        (cp1252, "cp775", "Zoļ M³ller"),  # the Baltic guess of the issue
        (utf8, "windows-1252", "ZoÃ« MÃ¼ller"),
        (cp1252, "utf-8", "Zo\ufffd M\ufffdller"),
    ):
        with tenant_context(cast.a.neighbourhood), translation.override("en"):
            table = read_table(name="contacts.csv", data=data, encoding=wrong)
            rows = check_rows(
                "participants", mapped_rows(table, map_columns("participants", table.headers))
            )
            flag_unusual_names(rows, table.encoding)
        assert rows[0].cleaned["full_name"] == misread
        assert rows[0].warnings and "encoding" in rows[0].warnings[0]
    # A C1 control character (ISO-8859-15 reads Windows-1252's "…" as one) and box drawing.
    assert unusual_characters("Jan\x85", "iso-8859-15") == ["\x85"]
    assert unusual_characters("P╔ter", "utf-8") == ["╔"]
    # In UTF-8 any script is a name; in Windows-1252 only Western Latin letters are.
    assert unusual_characters("Ελένη Zoë", "utf-8") == []
    assert unusual_characters("Zoļ", "windows-1252") == ["ļ"]
    assert unusual_characters("Renée O’Brien-Šimić", "windows-1252") == ["ć"]


def test_the_preview_says_the_encoding_and_reads_the_file_again_with_another(cast) -> None:
    broker = cast.a.client(cast.a.broker)
    data = OUTLOOK_SEMICOLONS.encode("cp1252")
    with translation.override("nl"):
        uploaded = broker.post(
            "/broker/transfers/",
            {"kind": "participants", "file": SimpleUploadedFile("contacts.csv", data)},
            HTTP_ACCEPT_LANGUAGE="nl",
        )
    assert uploaded.status_code == 302
    page = broker.get("/broker/transfers/preview/", HTTP_ACCEPT_LANGUAGE="nl")
    html = page.content.decode()
    assert "Windows-1252" in html and 'value="windows-1252" selected' in html
    assert '<th scope="col">Voornaam</th>' in html and '<th scope="col">Achternaam</th>' in html
    assert "Zoë" in html and "Ömer" in html
    reread = broker.post("/broker/transfers/preview/", {"action": "reread", "encoding": "utf-8"})
    assert reread.status_code == 302
    html = broker.get("/broker/transfers/preview/").content.decode()
    assert "Zo\ufffd" in html and 'value="utf-8" selected' in html
    assert "2 rijen hebben een naam om na te kijken" in html
    broker.post("/broker/transfers/preview/", {"action": "reread", "encoding": "windows-1252"})
    html = broker.get("/broker/transfers/preview/").content.decode()
    assert "Zoë" in html and "om na te kijken" not in html
    refused = broker.post("/broker/transfers/preview/", {"action": "reread", "encoding": "ebcdic"})
    assert refused.status_code == 400


def test_the_api_reads_with_the_encoding_asked_and_says_which(cast) -> None:
    client = client_for(cast.a.host)
    auth = {"HTTP_AUTHORIZATION": f"Token {cast.a.broker.token}"}
    data = OUTLOOK_SEMICOLONS.encode("cp1252")
    detected = client.post(
        "/api/v1/transfers/preview/",
        {"kind": "participants", "file": SimpleUploadedFile("c.csv", data)},
        **auth,
    ).json()
    assert detected["encoding"] == "windows-1252"
    assert detected["rows"][0]["values"]["first_name"] == "Zoë"
    assert detected["rows"][0]["warnings"] == []
    forced = client.post(
        "/api/v1/transfers/preview/",
        {"kind": "participants", "file": SimpleUploadedFile("c.csv", data), "encoding": "utf-8"},
        **auth,
    ).json()
    assert forced["encoding"] == "utf-8" and forced["rows"][0]["warnings"]


@pytest.mark.parametrize(
    ("language", "delimiter", "header"),
    [("nl", b";", "Weergavenaam;Volledige naam"), ("en", b",", "Name shown on the site,Full name")],
)
def test_the_csv_export_suits_excel_in_the_interface_language(
    cast, language: str, delimiter: bytes, header: str
) -> None:
    with tenant_context(cast.a.neighbourhood):
        register_participant(display_name="Zoë", full_name="Müller, Zoë; van Dijk")
    export = cast.a.client(cast.a.broker).get(
        "/broker/transfers/export/?kind=participants&file_format=csv",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert export.content.startswith(codecs.BOM_UTF8)  # Excel reads UTF-8 only with it
    first_line = export.content[3:].decode("utf-8").split("\r\n")[0]
    assert first_line.startswith(("Nummer" if language == "nl" else "Number") + delimiter.decode())
    assert header in first_line
    assert '"Müller, Zoë; van Dijk"' in export.content.decode("utf-8")  # quoted, not split
    rows = _table_of(export)
    assert [row["full_name"] for row in rows] == ["Müller, Zoë; van Dijk"]


def test_every_column_label_reads_back_as_its_field_in_both_languages() -> None:
    for kind, fields in (
        ("participants", transfer_services.PARTICIPANT_EXPORT),
        ("mediations", transfer_services.MEDIATION_EXPORT),
    ):
        for language in ("nl", "en"):
            with translation.override(language):
                headers = [str(FIELD_LABELS[name]) for name in fields]
            columns = map_columns(kind, headers)
            assert sorted(columns.mapping.values()) == sorted(f for f in fields if f != "id")
            assert len(columns.ignored) == 1 and not columns.unknown
