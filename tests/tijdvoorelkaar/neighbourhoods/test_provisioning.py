"""Provisioning: the clone path, all-or-nothing, bad input, stale blueprints."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context, schema_exists, tenant_context

from tenants.audit.models import AuditEvent
from tenants.market.models import Category
from tenants.outbox.models import OutboxMessage
from tests.support.cast import spec_for
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods import blueprint as blueprint_module
from tijdvoorelkaar.neighbourhoods import services, spares
from tijdvoorelkaar.neighbourhoods.models import Blueprint, Domain, Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import provision_neighbourhood

pytestmark = pytest.mark.django_db


def _tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema]
        )
        return {row[0] for row in cursor.fetchall()}


def test_provisioning_creates_schema_rows_and_invites_the_first_admin(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        neighbourhood = provision_neighbourhood(
            spec=spec_for(
                "hoge-vucht",
                domains=["hoge-vucht.test", "www.hoge-vucht.test"],
                credits_enabled=False,
                moderation="before",
                theme="baksteen",
            )
        )
    assert neighbourhood.schema_name == "nb_hoge_vucht"
    assert _tables("nb_hoge_vucht") == _tables("tve_blueprint")
    assert {d.domain: d.is_primary for d in neighbourhood.domains.all()} == {
        "hoge-vucht.test": True,
        "www.hoge-vucht.test": False,
    }
    with tenant_context(neighbourhood):
        admin = User.objects.get()
        assert (admin.email, admin.role, admin.is_active) == (
            "admin@hoge-vucht.test",
            Role.ADMIN,
            False,
        )
        assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1
    assert "http://hoge-vucht.test/accounts/invitation/" in mail.outbox[0].body


def test_a_cloned_schema_has_every_migration_applied() -> None:
    neighbourhood = provision_neighbourhood(spec=spec_for("lunetten"))
    connection.set_schema(neighbourhood.schema_name, include_public=False)
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_sequences_in_a_cloned_schema_belong_to_it_and_start_fresh() -> None:
    first = provision_neighbourhood(spec=spec_for("tolsteeg"))
    second = provision_neighbourhood(spec=spec_for("hoograven"))
    with tenant_context(first):
        event_in_first = AuditEvent.objects.create(action="test.one")
        AuditEvent.objects.create(action="test.two")
    with tenant_context(second):
        event_in_second = AuditEvent.objects.create(action="test.one")
        Category.objects.create(name="Proef", slug="proef")  # seeded rows + sequence
    # Each schema counts on its own (issues #831/#1236: clones shared or reset sequences).
    assert event_in_second.pk == event_in_first.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT n.nspname FROM pg_class c JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE c.relkind = 'S'"
            " AND n.nspname IN ('nb_tolsteeg', 'nb_hoograven')"
        )
        assert {row[0] for row in cursor.fetchall()} == {"nb_tolsteeg", "nb_hoograven"}


def test_failure_midway_leaves_no_schema_row_domain_or_mail(
    monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def broken_seed(neighbourhood: Neighbourhood) -> None:
        raise RuntimeError("seed step failed")

    monkeypatch.setattr(services, "_seed", broken_seed)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        provision_neighbourhood(spec=spec_for("bokkenbuurt"))
    assert not schema_exists("nb_bokkenbuurt")
    assert not Neighbourhood.objects.filter(slug="bokkenbuurt").exists()
    assert not Domain.objects.filter(domain="bokkenbuurt.test").exists()
    assert mail.outbox == []


def test_failure_in_the_invitation_step_also_rolls_back(monkeypatch) -> None:
    def broken_invite(spec: object) -> None:
        raise ValidationError("mail server refused")

    monkeypatch.setattr(services, "_invite_first_admin", broken_invite)
    with pytest.raises(ValidationError):
        provision_neighbourhood(spec=spec_for("oog-in-al"))
    assert not schema_exists("nb_oog_in_al")
    assert not Neighbourhood.objects.filter(slug="oog-in-al").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "wijk-a"}, "slug"),  # taken by the cast
        ({"slug": "public"}, "slug"),
        ({"slug": "www"}, "slug"),
        ({"slug": "api"}, "slug"),
        ({"slug": "tve-blueprint"}, "slug"),
        ({"slug": "Hoge_Vucht!"}, "slug"),
        ({"slug": "x" * 41}, "slug"),
        ({"name": "N" * 81}, "name"),
        ({"name": ""}, "name"),
        ({"domains": ["wijk-a.test"]}, "domains"),  # taken
        ({"domains": ["not a domain"]}, "domains"),
        ({"domains": []}, "domains"),
        ({"domains": ["www.example.test", "www.example.test"]}, "domains"),
        ({"admin_email": "not-an-address"}, "admin_email"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"languages": []}, "languages"),
        ({"languages": ["de"]}, "languages"),
        ({"reporting_year_start_month": 13}, "reporting_year_start_month"),
        ({"moderation": "sometimes"}, "moderation"),
        ({"credits_enabled": True, "credit_name": " "}, "credit_name"),
    ],
)
def test_bad_input_names_the_field_and_leaves_nothing(cast, overrides, field) -> None:
    spec = spec_for("nieuwe-wijk")
    for name, value in overrides.items():
        setattr(spec, name, value)
    before = (Neighbourhood.objects.count(), Domain.objects.count())
    with pytest.raises(ValidationError) as caught:
        provision_neighbourhood(spec=spec)
    assert field in caught.value.message_dict
    assert (Neighbourhood.objects.count(), Domain.objects.count()) == before
    assert not schema_exists("nb_nieuwe_wijk")


def test_migrate_keeps_the_blueprint_fresh() -> None:
    assert Blueprint.objects.get().migration_state == blueprint_module.migration_state()
    with schema_context("tve_blueprint"):
        executor = MigrationExecutor(connection)
        assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_a_spare_schema_is_renamed_into_place_and_the_pool_refilled(settings) -> None:
    settings.PROVISIONING_SPARE_SCHEMAS = 1
    assert spares.refill_spares() == 1
    [spare] = spares._spares()
    neighbourhood = provision_neighbourhood(spec=spec_for("hoge-weide"))
    assert spare not in spares._spares()  # it became the neighbourhood's schema
    assert _tables(neighbourhood.schema_name) == _tables("tve_blueprint")
    assert spares.refill_spares() == 1


def test_spares_of_an_older_blueprint_are_never_used_and_get_dropped(settings) -> None:
    settings.PROVISIONING_SPARE_SCHEMAS = 1
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "tve_spare_000000000000_stale"')  # empty: would break
    neighbourhood = provision_neighbourhood(spec=spec_for("oud-zuilen"))
    assert _tables(neighbourhood.schema_name) == _tables("tve_blueprint")
    spares.refill_spares()
    assert "tve_spare_000000000000_stale" not in spares._spares()


def test_a_refill_never_builds_a_blueprint_of_its_own(settings, monkeypatch) -> None:
    # A worker still running older code (another migration state) leaves everything alone.
    settings.PROVISIONING_SPARE_SCHEMAS = 1
    spares.refill_spares()
    before = spares._spares()
    monkeypatch.setattr(spares, "migration_state", lambda: "older-code")
    assert spares.refill_spares() == 0
    assert spares._spares() == before
    assert Blueprint.objects.count() == 1


def test_lowering_the_pool_size_drops_the_surplus(settings) -> None:
    settings.PROVISIONING_SPARE_SCHEMAS = 2
    assert spares.refill_spares() == 2
    settings.PROVISIONING_SPARE_SCHEMAS = 0
    spares.refill_spares()
    assert spares._spares() == []


def test_code_older_than_the_database_refuses_to_provision(monkeypatch) -> None:
    # A deploy under way: the blueprint holds a migration this process does not know.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tve_blueprint.django_migrations (app, name, applied)"
            " VALUES ('audit', '9999_from_the_future', now())"
        )
    monkeypatch.setattr(blueprint_module, "migration_state", lambda: "older-code")
    with pytest.raises(blueprint_module.OutdatedCode):
        provision_neighbourhood(spec=spec_for("te-vroeg"))
    assert not Neighbourhood.objects.filter(slug="te-vroeg").exists()


def test_lost_provisioning_jobs_are_queued_again(django_capture_on_commit_callbacks) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from tijdvoorelkaar.neighbourhoods.jobs import sweep_jobs
    from tijdvoorelkaar.neighbourhoods.models import ProvisioningJob

    spec = spec_for("verloren")
    lost = ProvisioningJob.objects.create(request=spec.as_dict())
    fresh = ProvisioningJob.objects.create(request=spec_for("net-gestart").as_dict())
    ProvisioningJob.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_jobs() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == "done" and lost.neighbourhood.slug == "verloren"
    assert fresh.status == "queued"
