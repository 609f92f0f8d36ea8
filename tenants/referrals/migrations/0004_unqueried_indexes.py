# Indexes no query at neighbourhood scale needs (small tables scanned, or served by another
# index): docs/operations/benchmarks.md, "Schema footprint"; the models say why for each.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0004_unqueried_indexes'),
        ('referrals', '0003_schema_ids'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='referral',
            name='referral_direction_on',
        ),
        migrations.AlterField(
            model_name='groupvisit',
            name='organisation',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='group_visits', to='organisations.organisation', verbose_name='organisation'),
        ),
        # The join table's reverse key (who joined from a participant's side: tens a year, scanned); the migration state does not hold it.
        migrations.RunSQL(
            "DROP INDEX IF EXISTS referrals_groupvisit_joined_participant_id_b0145ddf",
            "CREATE INDEX referrals_groupvisit_joined_participant_id_b0145ddf ON referrals_groupvisit_joined (participant_id)",
        ),
    ]
