# A trajectory is keyed by its participant (one each, for good; docs/adr/0011): its `id` and
# that index go. What named a trajectory by its `id` names it by the participant's id instead:
# the route moves' `trajectory_id` (their foreign key re-pointed) and the audit's entries about
# it (`brokerage.trajectory #…`). Django does not migrate a table onto such a key, so the SQL is
# ours (tijdvoorelkaar.natural_keys) and the state is what makemigrations wrote.

import django.db.models.deletion
from django.db import migrations, models

from tijdvoorelkaar.natural_keys import Reference, keyed_by, to_natural_key

AUDITED = "a.target_type = 'brokerage.trajectory' AND a.target_id = t.{}::text"


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        ('brokerage', '0006_plain_rows'),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE audit_auditevent a SET target_id = t.participant_id::text"
            " FROM brokerage_trajectory t WHERE " + AUDITED.format("id"),
            "UPDATE audit_auditevent a SET target_id = t.id::text"
            " FROM brokerage_trajectory t WHERE " + AUDITED.format("participant_id"),
        ),
        keyed_by(
            to_natural_key(
                "brokerage_trajectory",
                ["participant_id"],
                unique="brokerage_trajectory_participant_id_key",
                referred_by=[
                    Reference(
                        "brokerage_trajectorymove",
                        "trajectory_id",
                        "brokerage_trajectory_trajectory_id_ce6074ee_fk_brokerage",
                    )
                ],
            ),
            migrations.RemoveField(
                model_name='trajectory',
                name='id',
            ),
            migrations.AlterField(
                model_name='trajectory',
                name='participant',
                field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='trajectory', serialize=False, to='people.participant'),
            ),
        ),
    ]
