"""Both published schemas are valid OpenAPI, declare one request format per operation and
an error body on every 4xx; the errors the probe found answer 400/404 in that shape."""

from __future__ import annotations

import pytest
from django.test import Client
from openapi_spec_validator import validate

from tests.support.cast import PLATFORM_HOST

pytestmark = pytest.mark.django_db

ERROR = {"$ref": "#/components/schemas/Error"}


def _schema(host: str) -> dict:  # type: ignore[type-arg]
    response = Client(HTTP_HOST=host).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _operations(schema: dict) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    return [
        (path, method, op) for path, item in schema["paths"].items() for method, op in item.items()
    ]


@pytest.mark.parametrize("host", [PLATFORM_HOST, "wijk-a.test"])
def test_the_schema_is_valid_openapi(cast, host: str) -> None:
    validate(_schema(host))  # raises on any violation of the OpenAPI 3.0 specification


@pytest.mark.parametrize("host", [PLATFORM_HOST, "wijk-a.test"])
def test_every_operation_takes_one_format_and_declares_its_errors_with_a_body(
    cast, host: str
) -> None:
    operations = _operations(_schema(host))
    assert operations
    for path, method, operation in operations:
        body = operation.get("requestBody", {}).get("content", {})
        assert len(body) <= 1, (method, path, list(body))
        errors = {code: r for code, r in operation["responses"].items() if code.startswith("4")}
        assert "401" in errors or path == "/api/v1/auth/token/", (method, path)
        for code, response in errors.items():
            schema = response["content"]["application/json"]["schema"]
            assert schema == ERROR or "$ref" in schema, (method, path, code)


def test_only_uploads_are_multipart(cast) -> None:
    formats = {
        (method, path): next(iter(op["requestBody"]["content"]))
        for path, method, op in _operations(_schema("wijk-a.test"))
        if "requestBody" in op
    }
    multipart = {key for key, media in formats.items() if media == "multipart/form-data"}
    assert multipart == {
        ("post", "/api/v1/ads/"),
        ("patch", "/api/v1/ads/{id}/"),
        ("post", "/api/v1/stories/manage/"),
        ("patch", "/api/v1/stories/manage/{id}/"),
        ("post", "/api/v1/transfers/import/"),
        ("post", "/api/v1/transfers/preview/"),
    }
    assert set(formats.values()) == {"application/json", "multipart/form-data"}


def test_the_token_endpoint_needs_no_authentication_and_others_say_which(cast) -> None:
    schema = _schema("wijk-a.test")
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert token["security"] == [{}]
    participants = schema["paths"]["/api/v1/participants/"]["get"]
    assert participants["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_null_and_blank_are_declared_where_they_are_sent(cast) -> None:
    components = _schema("wijk-a.test")["components"]["schemas"]
    ad, participant = components["Ad"]["properties"], components["Participant"]["properties"]
    assert ad["sub_area"]["nullable"] and ad["organisation"]["nullable"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in participant["heard_via"]["oneOf"]
    assert {"type": "string", "maxLength": 0} in participant["email"]["oneOf"]
    outcome = components["Report"]["properties"]["outcome"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in outcome["oneOf"]


def test_a_json_body_that_is_not_an_object_is_a_400(cast) -> None:
    response = Client(HTTP_HOST=cast.a.host).post(
        "/api/v1/ads/", "[1,2]", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Stuur een JSON-object."}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/moderation/ads/abc/approve/",
        "/api/v1/moderation/ads/abc/reject/",
        "/api/v1/moderation/reports/abc/handle/",
    ],
)
def test_an_id_that_is_not_a_number_is_a_404_for_staff(cast, path: str) -> None:
    client = Client(HTTP_HOST=cast.a.host, HTTP_AUTHORIZATION=f"Token {cast.a.broker.token}")
    response = client.post(path, {"outcome": "removed"}, content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}


@pytest.mark.parametrize("host", [PLATFORM_HOST, "wijk-a.test"])
def test_a_path_no_route_matches_answers_json_under_api_and_a_page_elsewhere(
    cast, host: str
) -> None:
    client = Client(HTTP_HOST=host)
    api = client.get("/api/v1/no-such-thing/1.5/")
    assert api.status_code == 404 and api.json() == {"detail": "Niet gevonden."}
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_field_errors_name_each_field_with_a_list_of_texts(cast) -> None:
    client = Client(HTTP_HOST=cast.a.host, HTTP_AUTHORIZATION=f"Token {cast.a.broker.token}")
    response = client.post(
        "/api/v1/participants/",
        {"display_name": "Anna", "consents": ["nonsense"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert all(isinstance(messages, list) for messages in body.values()), body
    assert all(isinstance(m, str) for messages in body.values() for m in messages), body
    assert body["consents"] and "display_name" not in body
