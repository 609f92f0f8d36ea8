"""The audit log, the outbox messages, django_migrations and django-otp's tables on the schema's
one key sequence (docs/adr/0010), and the login's third-party indexes that no query needs
(docs/operations/benchmarks.md, "Schema footprint"): a neighbourhood holding rows in them
migrates back and forward, keeps every row and key, never hands out a key twice, and ends
exactly like a new one."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context

from tenants.audit.services import record_audit_event
from tenants.outbox.services import queue_mail
from tests.support.cast import activate, spec_for, totp_device
from tests.support.factories import participant
from tests.support.schema_shape import query, shape
from tijdvoorelkaar.accounts.models import User
from tijdvoorelkaar.accounts.twofactor import regenerate_recovery_codes
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import delete_neighbourhood, provision_neighbourhood

# The migrations before this change, per app.
BEFORE = [
    ("audit", "0003_one_action_index"),
    ("outbox", "0007_batch_key_in_unique"),
    ("accounts", "0005_schema_ids"),
]
# Tables whose keys came from a sequence of their own, and the columns that show their rows.
MOVED = {
    "audit_auditevent": "id, action",
    "outbox_outboxmessage": "id, subject",
    "django_migrations": "id, app, name",
    "otp_static_staticdevice": "id, user_id",
    "otp_static_statictoken": "id, device_id, token",
    "otp_totp_totpdevice": "id, user_id",
}
DROPPED_INDEXES = {
    "otp_static_staticdevice_user_id_7f9cff2b",
    "otp_static_statictoken_device_id_74b7c7d1",
    "otp_static_statictoken_token_d0a51866",
    "otp_totp_totpdevice_user_id_0fb18292",
    "django_session_expire_date_a5c62663",
}
# The audit's and outbox's later index changes, undone with these (they follow them).
LATER_INDEXES_BEFORE = {
    "audit_auditevent_actor_id_270bb4b7",
    "outbox_outb_status_72295d_idx",
    "outbox_outb_status_939f04_idx",
}
LATER_INDEXES = {"audit_actor", "outbox_in_flight"}
# Where an old neighbourhood's own sequences stood: far past the shared one's position.
OLD_POSITION = 100_000


@pytest.fixture
def committed(cast, django_db_blocker, settings, tmp_path):  # type: ignore[no-untyped-def]
    # Migrating back and forth alters tables: committed, as a real migrate does.
    settings.BACKUP_DIR = tmp_path / "backups"  # the deletion's dump
    with django_db_blocker.unblock():
        yield
        for neighbourhood in Neighbourhood.objects.filter(slug__startswith="eigenreeks"):
            delete_neighbourhood(neighbourhood=neighbourhood, confirm_slug=neighbourhood.slug)


def _rows(schema: str) -> dict[str, list[tuple]]:
    return {
        table: sorted(query(f'SELECT {columns} FROM "{schema}"."{table}"', []))  # noqa: S608
        for table, columns in MOVED.items()
    } | {
        "django_session": query(f'SELECT session_key FROM "{schema}".django_session', [])  # noqa: S608
    }


def _without_migrations(rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    return {table: kept for table, kept in rows.items() if table != "django_migrations"}


def _largest_key(schema: str) -> int:
    tables = [f'SELECT max(id) FROM "{schema}"."{table}"' for table in MOVED]  # noqa: S608
    union = " UNION ALL ".join(tables)
    return query(f"SELECT max(max) FROM ({union}) keys", [])[0][0]  # noqa: S608


def _fill(neighbourhood: Neighbourhood, admin_email: str) -> User:
    """A staff member with an authenticator, recovery codes and a session; audit rows and mail
    (the services write them)."""
    with tenant_context(neighbourhood):
        admin = activate(User.objects.get(email=admin_email))
        totp_device(admin)
        regenerate_recovery_codes(user=admin)
        SessionStore().create()
        queue_mail(to="buur@example.org", subject="Welkom", body="Hallo", purpose="test")
    return admin


def _an_old_neighbourhoods_keys(neighbourhood: Neighbourhood, admin: User) -> None:
    """Each table's own sequence far ahead, as in a neighbourhood with years of audit rows and
    mail, and a row more in each: the shared sequence must pass them all going forward."""
    schema = neighbourhood.schema_name
    for table in MOVED:
        query(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
            [f'"{schema}".{table}', OLD_POSITION],
        )
    with tenant_context(neighbourhood):
        record_audit_event(actor=admin, action="test.old", target=admin)
        queue_mail(to="oud@example.org", subject="Oud", body="Hallo", purpose="test")
        TOTPDevice.objects.create(user=admin, name="tweede", confirmed=False)
        regenerate_recovery_codes(user=admin)


def test_a_neighbourhood_with_rows_migrates_back_and_forward_to_a_new_ones_shape(
    committed,
) -> None:
    # given a new neighbourhood (the blueprint's shape) with rows in every changed table
    spec = spec_for("eigenreeks")
    neighbourhood = provision_neighbourhood(spec=spec)
    schema = neighbourhood.schema_name
    new_shape = shape(schema)
    relations = {name for name, _ in new_shape["relations"]}
    assert not relations & ({f"{table}_id_seq" for table in MOVED} | DROPPED_INDEXES)
    admin = _fill(neighbourhood, spec.admin_email)
    rows = _rows(schema)
    assert all(rows.values()), rows

    # when it migrates back to before this change
    for app, migration in BEFORE:
        call_command("migrate_schemas", app, migration, schema_name=schema, verbosity=0)

    # then each table has its own sequence (an identity) and its indexes again, same rows
    old_shape = shape(schema)
    assert old_shape["relations"] - new_shape["relations"] == {
        (f"{table}_id_seq", "S") for table in MOVED
    } | {(name, "i") for name in DROPPED_INDEXES | LATER_INDEXES_BEFORE}
    assert new_shape["relations"] - old_shape["relations"] == {
        (name, "i") for name in LATER_INDEXES
    }
    identities = {
        table
        for table, column, *_, identity, _ in old_shape["columns"]
        if column == "id" and identity == "d"
    }
    assert set(MOVED) <= identities
    back = _rows(schema)
    assert _without_migrations(back) == _without_migrations(rows)
    # django_migrations lost the rows of the migrations undone, and nothing else
    assert set(back["django_migrations"]) < set(rows["django_migrations"])
    _an_old_neighbourhoods_keys(neighbourhood, admin)
    rows = _rows(schema)
    assert _largest_key(schema) > OLD_POSITION

    # and forward again it is exactly like a new neighbourhood, with every row and key kept
    call_command("migrate_schemas", schema_name=schema, verbosity=0)
    assert shape(schema) == new_shape
    forward = _rows(schema)
    assert _without_migrations(forward) == _without_migrations(rows)
    assert set(rows["django_migrations"]) < set(forward["django_migrations"])
    # and the shared sequence is past every key the tables had from their own
    largest = _largest_key(schema)
    with tenant_context(neighbourhood):
        assert participant("Nieuw").pk > largest
        assert record_audit_event(actor=admin, action="test.new").pk > largest
