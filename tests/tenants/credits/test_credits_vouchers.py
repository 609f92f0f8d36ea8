"""Paper vouchers: printing backs them by one transfer, the sheet prints the codes (read
back), a code works once and a second try says when and where, voiding gives back what is
left, wrong codes are rate-limited, isolation, pages and API per role."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_tenants.utils import tenant_context

from tenants.credits.models import Account, Movement, Voucher
from tenants.credits.selectors import balance
from tenants.credits.voucher_sheet import voucher_sheet
from tenants.credits.vouchers import ALPHABET, print_vouchers, redeem_voucher, void_batch
from tenants.organisations.services import add_organisation_member
from tests.support import factories
from tests.support.cast import client_for
from tests.support.credits import assert_ledger_invariants, assert_vouchers_backed, set_credits
from tests.support.pdfs import page_count, pdf_text

pytestmark = pytest.mark.django_db
D = Decimal
CODE = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def _print(place, count=3, value="2"):  # type: ignore[no-untyped-def]
    return print_vouchers(count=count, value=D(value), by=place.broker.user, description="Kerst")


def _held(**owner) -> Decimal:  # type: ignore[no-untyped-def]
    account = Account.objects.filter(**owner).first()
    return balance(account) if account else D(0)


def test_printing_backs_the_vouchers_and_keeps_only_hashes(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        printed = _print(cast.a, count=20)
        assert len(set(printed.codes)) == 20 and all(CODE.match(c) for c in printed.codes)
        assert _held(kind="vouchers") == D(40)
        assert _held(kind="neighbourhood_issuing") == D(-40)
        stored = " ".join(Voucher.objects.values_list("code_hash", flat=True))
        assert not any(code.replace("-", "") in stored for code in printed.codes)
        assert_ledger_invariants()
        assert_vouchers_backed()


def test_the_sheet_prints_every_code_with_the_value_and_names(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        printed = _print(cast.a, count=10, value="1.5")
        pdf = voucher_sheet(
            neighbourhood=cast.a.neighbourhood, batch=printed.batch, codes=printed.codes
        )
    text = pdf_text(pdf)
    assert page_count(pdf) == 2  # eight to a page
    assert all(code in text for code in printed.codes)
    assert text.count("1.5") >= 10
    assert cast.a.neighbourhood.name in text and "Roosjes" in text
    assert f"{printed.batch.pk}-10" in text
    with tenant_context(cast.a.neighbourhood), translation.override("nl"):
        dutch = voucher_sheet(
            neighbourhood=cast.a.neighbourhood, batch=printed.batch, codes=printed.codes
        )
    assert pdf_text(dutch).count("1,5") >= 10  # as a Dutch reader writes one and a half


def test_a_code_works_once_and_a_second_try_says_when_and_where(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        printed = _print(cast.a)
        code = printed.codes[0]
        typed = code.lower().replace("-", " ")  # as a shop might type it
        voucher = redeem_voucher(code=typed, by=None, organisation=ledger.scouting)
        assert voucher.redeemed_at is not None
        assert _held(organisation=ledger.scouting, kind="organisation") == D(2)
        with pytest.raises(ValidationError) as again:
            redeem_voucher(code=code, by=None, participant=ledger.ans)
        message = again.value.message_dict["code"][0]
        assert "already handed in" in message and "Scouting Zuid" in message
        for wrong in ("ABCD-EFGH-JKLM", "", "x" * 40):
            with pytest.raises(ValidationError) as unknown:
                redeem_voucher(code=wrong, by=None, participant=ledger.ans)
            assert "not known" in unknown.value.message_dict["code"][0]
        redeem_voucher(code=printed.codes[1], by=None, participant=ledger.ans)
        assert _held(participant=ledger.ans) == D(2)
        assert_ledger_invariants()
        assert_vouchers_backed()


def test_voiding_a_batch_gives_back_only_what_was_not_handed_in(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        printed = _print(cast.a, count=4)
        redeem_voucher(code=printed.codes[0], by=None, organisation=ledger.scouting)
        voided = void_batch(batch=printed.batch, by=cast.a.broker.user, reason="Vel kwijt")
        assert voided.void_transfer is not None
        assert sorted(m.amount for m in voided.void_transfer.movements.all()) == [D(-6), D(6)]
        assert _held(kind="vouchers") == 0
        assert _held(kind="neighbourhood_issuing") == D(-2)
        with pytest.raises(ValidationError) as dead:
            redeem_voucher(code=printed.codes[1], by=None, organisation=ledger.scouting)
        assert "voided" in dead.value.message_dict["code"][0]
        with pytest.raises(ValidationError) as twice:
            void_batch(batch=printed.batch, by=cast.a.broker.user, reason="Nog eens")
        assert "batch" in twice.value.message_dict
        assert_ledger_invariants()
        assert_vouchers_backed()


def test_impossible_batches_are_refused(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        for count, value, field in ((0, "1", "count"), (201, "1", "count"), (2, "0.3", "value")):
            with pytest.raises(ValidationError) as refused:
                _print(cast.a, count=count, value=value)
            assert field in refused.value.message_dict
        assert not Movement.objects.exists()


def test_a_code_of_a_is_unknown_at_b(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        code = _print(cast.a).codes[0]
    set_credits(cast.b.neighbourhood, cast.b.admin.user, credits_enabled=True)
    with tenant_context(cast.b.neighbourhood):
        someone = factories.participant("Els")
        with pytest.raises(ValidationError) as unknown:
            redeem_voucher(code=code, by=None, participant=someone)
        assert "not known" in unknown.value.message_dict["code"][0]


# -- Pages and API ----------------------------------------------------------------------


def _shop_member(place, ledger):  # type: ignore[no-untyped-def]
    member = factories.organisation_member(email="winkel@example.org")
    ledger.carla.user = member.user
    ledger.carla.save(update_fields=["user"])
    add_organisation_member(
        organisation=ledger.scouting, participant=ledger.carla, by=place.broker.user
    )
    return member


def test_the_broker_prints_a_sheet_and_voids_it_on_the_pages(cast, ledger) -> None:
    broker = client_for(cast.a.host, cast.a.neighbourhood, cast.a.broker)
    form = broker.get("/broker/credits/vouchers/")
    key = form.context["form"].initial["idempotency_key"]
    data = {"count": "3", "value": "2", "description": "Kerstactie", "idempotency_key": key}
    sheet = broker.post("/broker/credits/vouchers/", data)
    assert sheet["Content-Type"] == "application/pdf"
    assert sheet["Cache-Control"] == "no-store"
    codes = CODE.pattern  # the three codes are on the sheet
    assert len(re.findall(codes[1:-1], pdf_text(sheet.content))) == 3
    again = broker.post("/broker/credits/vouchers/", data)  # a double click: no second batch
    assert again.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        batch = Voucher.objects.get(number=1).batch
    assert broker.post(f"/broker/credits/vouchers/{batch.pk}/", {"reason": ""}).status_code == 400
    assert (
        broker.post(f"/broker/credits/vouchers/{batch.pk}/", {"reason": "Kwijt"}).status_code == 302
    )
    page = broker.get(f"/broker/credits/vouchers/{batch.pk}/")
    assert page.status_code == 200 and page.context["batch"].voided_at is not None
    assert (
        broker.post(
            "/broker/credits/vouchers/", data | {"count": "0", "idempotency_key": "n"}
        ).status_code
        == 400
    )


def test_a_shop_hands_in_a_code_on_the_page_and_wrong_codes_are_limited(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        member = _shop_member(cast.a, ledger)
        codes = _print(cast.a).codes
    shop = client_for(cast.a.host, cast.a.neighbourhood, member)
    prefilled = shop.get(f"/credits/vouchers/redeem/?code={codes[0]}")
    assert prefilled.context["form"]["code"].value() == codes[0]
    done = shop.post(
        "/credits/vouchers/redeem/", {"code": codes[0], "organisation": ledger.scouting.pk}
    )
    assert done.status_code == 302
    used = shop.post(
        "/credits/vouchers/redeem/", {"code": codes[0], "organisation": ledger.scouting.pk}
    )
    assert used.status_code == 400
    for _ in range(9):  # ten wrong codes in all
        shop.post(
            "/credits/vouchers/redeem/",
            {"code": "AAAA-BBBB-CCCC", "organisation": ledger.scouting.pk},
        )
    blocked = shop.post(
        "/credits/vouchers/redeem/", {"code": codes[1], "organisation": ledger.scouting.pk}
    )
    assert blocked.status_code == 429
    with tenant_context(cast.a.neighbourhood):
        assert _held(organisation=ledger.scouting, kind="organisation") == D(2)


def test_who_may_open_the_voucher_pages(cast, ledger) -> None:
    anonymous = cast.a.client()
    assert anonymous.get("/credits/vouchers/redeem/").status_code == 404
    assert anonymous.get("/broker/credits/vouchers/").status_code in (302, 403)
    resident = client_for(cast.a.host, cast.a.neighbourhood, cast.a.resident)
    assert resident.get("/broker/credits/vouchers/").status_code == 403
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=False)
    broker = client_for(cast.a.host, cast.a.neighbourhood, cast.a.broker)
    for path in (
        "/broker/credits/vouchers/",
        "/broker/credits/vouchers/1/",
        "/credits/vouchers/redeem/",
        "/api/v1/credits/voucher-batches/",
    ):
        assert broker.get(path).status_code == 404, path
    assert broker.post("/api/v1/credits/vouchers/redeem/", {}).status_code == 404


def test_the_voucher_api_per_role(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        member = _shop_member(cast.a, ledger)
        ledger.ans.user = cast.a.resident.user
        ledger.ans.save(update_fields=["user"])
    broker = client_for(cast.a.host, cast.a.neighbourhood, cast.a.broker)
    post = lambda client, path, data: client.post(path, data, content_type="application/json")  # noqa: E731
    printed = post(
        broker, "/api/v1/credits/voucher-batches/", {"count": 2, "value": "1", "description": "x"}
    )
    assert printed.status_code == 201
    codes = printed.json()["codes"]
    assert len(codes) == 2
    assert broker.get("/api/v1/credits/voucher-batches/").json()["results"][0]["count"] == 2
    shop = client_for(cast.a.host, cast.a.neighbourhood, member)
    assert post(shop, "/api/v1/credits/voucher-batches/", {}).status_code == 403
    assert (
        "organisation" in post(shop, "/api/v1/credits/vouchers/redeem/", {"code": codes[0]}).json()
    )
    ok = post(
        shop,
        "/api/v1/credits/vouchers/redeem/",
        {"code": codes[0], "organisation": ledger.scouting.pk},
    )
    assert ok.status_code == 201 and ok.json()["value"] == "1.00"
    resident = client_for(cast.a.host, cast.a.neighbourhood, cast.a.resident)
    again = post(resident, "/api/v1/credits/vouchers/redeem/", {"code": codes[0]})
    assert again.status_code == 400 and "code" in again.json()
    assert post(resident, "/api/v1/credits/vouchers/redeem/", {"code": codes[1]}).status_code == 201
    batch = printed.json()["id"]
    voided = post(broker, f"/api/v1/credits/voucher-batches/{batch}/void/", {"reason": "klaar"})
    assert voided.status_code == 200 and voided.json()["handed_in"] == 2
    with tenant_context(cast.a.neighbourhood):
        assert_ledger_invariants()
        assert_vouchers_backed()
