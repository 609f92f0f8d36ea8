"""Reads that were recorded under codes the audit filed as changes (`participants.listed`,
`participant.profile_viewed` ...) get the read codes they have now, so past reads of personal
data also count as reads on the audit page and in the weekly summary."""

from django.db import migrations

RENAMED = {
    "participants.listed": "participant_list.viewed",
    "participant.profile_viewed": "participant_profile.viewed",
    "referral.listed": "referral_list.viewed",
    "held_messages.listed": "held_message_list.viewed",
    "organisations.listed": "organisation_list.viewed",
}


def rename(apps, schema_editor, mapping=RENAMED):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for old, new in mapping.items():
        AuditEvent.objects.filter(action=old).update(action=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, mapping={new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(rename, rename_back)]
