"""An integrator's view of the API: a client generated from the published schema by
openapi-python-client imports cleanly and completes a journey through the real Django app
(over httpx's WSGI transport, inside the test's transaction): a token; every page of
participants; a participant with only a phone number; a request placed for her; a search;
a mediation recorded and read back; and a 404, a 409 and a 429 read as typed errors."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from tenants.market.models import Category
from tenants.people.services.registration import enrol_participant
from tests.support.cast import PASSWORD, build_place, client_for, next_totp_code, totp_device
from tests.tijdvoorelkaar.api.test_schema_fuzzing import wsgi_app_in_this_transaction

pytestmark = pytest.mark.django_db

PACKAGE = "tve_client"
CONFIG = f"post_hooks: []\npackage_name_override: {PACKAGE}\nproject_name_override: tve-client\n"


def _generate(schema: dict[str, Any], into: Path) -> None:
    (into / "schema.json").write_text(json.dumps(schema))
    (into / "config.yaml").write_text(CONFIG)
    command = [
        str(Path(sys.executable).with_name("openapi-python-client")),
        "generate",
        "--path",
        str(into / "schema.json"),
        "--output-path",
        str(into / PACKAGE),
        "--meta",
        "none",
        "--config",
        str(into / "config.yaml"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and "Warning" not in done.stdout, done.stdout + done.stderr


@pytest.fixture
def generated(cast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The generated package for a neighbourhood's schema, importable as `tve_client`."""
    schema = client_for(cast.a.host).get("/api/schema/", {"format": "json"}).json()
    connection.set_schema_to_public()  # the request left the connection in wijk-a's schema
    _generate(schema, tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        monkeypatch.delitem(sys.modules, name)
    package = importlib.import_module(PACKAGE)
    yield package
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def test_every_generated_module_imports(generated) -> None:
    api = importlib.import_module(f"{PACKAGE}.api.v1")
    modules = [m.name for m in pkgutil.iter_modules(api.__path__)]
    assert len(modules) > 90
    for name in modules:
        importlib.import_module(f"{PACKAGE}.api.v1.{name}")  # raises if one does not import


def _op(name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.api.v1.{name}")


def test_an_integrator_completes_a_journey_with_the_generated_client(generated) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    place = build_place("koppeling", theme="default")  # this test's own neighbourhood
    with tenant_context(place.neighbourhood):
        category = Category.objects.filter(is_active=True).first()
        code = next_totp_code(totp_device(place.broker.user))
        for number in range(30):  # more than one page of participants
            enrol_participant(
                registered_by=place.broker.user,
                display_name=f"Buur {number}",
                phone=f"06 1000 00{number:02d}",
                consents=["registration"],
            )

    with wsgi_app_in_this_transaction() as app:
        transport = httpx.WSGITransport(app=app)
        base = {"base_url": f"http://{place.host}", "httpx_args": {"transport": transport}}
        anonymous = generated.Client(**base, raise_on_unexpected_status=True)

        # 1. A token, with the broker's two-step code.
        token = _op("v1_auth_token_create").sync(
            client=anonymous,
            body=models.TokenRequest(
                username=place.broker.user.email, password=PASSWORD, otp_code=code
            ),
        )
        assert isinstance(token, models.Token) and token.token
        api = generated.AuthenticatedClient(
            **base, token=token.token, prefix="Token", raise_on_unexpected_status=True
        )

        # 2. Every page of participants.
        seen, page = [], 1
        while True:
            listed = _op("v1_participants_list").sync(client=api, page=page)
            assert isinstance(listed, models.PaginatedParticipantList)
            seen += listed.results
            if not listed.next_:
                break
            page += 1
        assert page == 2 and len(seen) == 30
        assert all(isinstance(p, models.Participant) and p.email == "" for p in seen)

        # 3. Someone with only a phone number.
        def by_phone(name: str) -> Any:
            return models.RegisterRequest(
                display_name=name, phone="06 1234 5678", consents=[models.ConsentsEnum.REGISTRATION]
            )

        fatima = _op("v1_participants_create").sync(client=api, body=by_phone("Fatima"))
        assert isinstance(fatima, models.Participant)
        assert (fatima.email, fatima.phone) == ("", "0612345678")  # stored normalised

        # 4. A request placed for her, by the broker.
        placed = _op("v1_broker_ads_create").sync(
            client=api,
            body=models.BrokerAdRequest(
                participant=fatima.id,
                kind=models.BrokerAdKindEnum.REQUEST,
                title="Boodschappen op dinsdag",
                body="Wie helpt Fatima met de boodschappen?",
                category=category.pk,
            ),
        )
        assert placed.id and placed.sub_area is None  # no sub-area: null, as declared

        # 5. A search finds it.
        found = _op("v1_ads_list").sync(client=anonymous, q="boodschappen")
        assert [ad.id for ad in found.results] == [placed.id]

        # 6. A mediation, recorded and read back.
        started = _op("v1_mediations_create").sync(
            client=api,
            body=models.NewMediationRequest(
                requester=fatima.id, provider=seen[0].id, ads=[placed.id]
            ),
        )
        again = _op("v1_mediations_retrieve").sync(client=api, id=started.id)
        assert isinstance(again, models.MediationDetail) and again.id == started.id

        # 7. Errors, typed: 404, 409 (a duplicate phone number), 429 (too many tries).
        missing = _op("v1_participants_retrieve").sync_detailed(client=api, id=999999)
        assert missing.status_code == 404 and isinstance(missing.parsed, models.Error)
        assert missing.parsed.detail
        duplicate = _op("v1_participants_create").sync_detailed(
            client=api, body=by_phone("Fatima B.")
        )
        assert duplicate.status_code == 409
        assert fatima.id in duplicate.parsed.duplicates
        wrong = models.TokenRequest(username="nobody@example.nl", password="wrong")
        answers = [
            _op("v1_auth_token_create").sync_detailed(client=anonymous, body=wrong)
            for _ in range(11)
        ]
        assert answers[0].status_code == 400 and isinstance(answers[0].parsed, models.Error)
        assert answers[-1].status_code == 429 and isinstance(answers[-1].parsed, models.Error)
        assert answers[-1].parsed.detail
