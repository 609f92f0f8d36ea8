"""The VERP envelope sender: it names one message of one neighbourhood, and a forged or
altered one names nothing; the Message-ID names the neighbourhood's schema."""

from __future__ import annotations

import uuid

import pytest
from django.utils.http import int_to_base36
from django_tenants.utils import tenant_context

from tenants.outbox.verp import (
    envelope_sender,
    message_id_header,
    read_message_id,
    token_in,
)

pytestmark = pytest.mark.django_db


def test_the_envelope_sender_names_the_message_and_its_neighbourhood(cast) -> None:
    a = cast.a.neighbourhood
    with tenant_context(a):
        address = envelope_sender("bounces@wijk-a.test", 4711)
    local, domain = address.split("@")
    assert domain == "wijk-a.test" and local.startswith("bounces+")
    assert len(local) <= 64 and local == local.lower() and "." not in local
    token = token_in(address)
    assert token is not None
    assert (token.neighbourhood_id, token.message_id) == (a.pk, 4711)
    assert token.holds_for(a.schema_name)
    assert token_in(address.upper()).holds_for(a.schema_name)  # type: ignore[union-attr]


def test_a_bounce_address_with_its_own_plus_keeps_it(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        address = envelope_sender("bounces+utrecht-zuid@wijk-a.test", 12)
    assert address.startswith("bounces+utrecht-zuid+")
    token = token_in(address)
    assert token is not None and token.message_id == 12
    assert token.holds_for(cast.a.neighbourhood.schema_name)


def test_forged_and_altered_tokens_name_nothing(cast) -> None:
    a, b = cast.a.neighbourhood, cast.b.neighbourhood
    with tenant_context(a):
        genuine = envelope_sender("bounces@wijk-a.test", 31)
    local, domain = genuine.split("@")
    n, m, signature = local.split("+")[1].split("-")
    altered_signature = signature[:-1] + ("a" if signature[-1] != "a" else "b")
    forgeries = {
        "signature altered": f"bounces+{n}-{m}-{altered_signature}@{domain}",
        "another message": f"bounces+{n}-{int_to_base36(int(m, 36) + 1)}-{signature}@{domain}",
        "made up": f"bounces+{n}-{m}-{'a' * 16}@{domain}",
    }
    for why, address in forgeries.items():
        token = token_in(address)
        assert token is not None and not token.holds_for(a.schema_name), why
    # the same token read as if it were B's names nothing there
    assert not token_in(genuine).holds_for(b.schema_name)  # type: ignore[union-attr]
    assert token_in("bounces@wijk-a.test") is None
    assert token_in("bounces+not-a-token@wijk-a.test") is None


def test_without_verp_or_a_bounce_address_the_envelope_is_plain(cast, settings) -> None:
    with tenant_context(cast.a.neighbourhood):
        assert envelope_sender("", 5) == ""
        settings.MAIL_BOUNCE_VERP = False
        assert envelope_sender("bounces@wijk-a.test", 5) == "bounces@wijk-a.test"


def test_the_message_id_names_the_schema(cast) -> None:
    made = uuid.uuid4()
    with tenant_context(cast.b.neighbourhood):
        header = message_id_header(made)
    assert header == f"<{made}@{cast.b.neighbourhood.schema_name}.tijdvoorelkaar>"
    assert read_message_id(f"  {header.upper()} ") == (cast.b.neighbourhood.schema_name, made)
    assert read_message_id(f"<{made}@tijdvoorelkaar>") is None  # before schemas were named
    assert read_message_id("<abc@example.org>") is None
