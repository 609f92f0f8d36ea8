# Only a participant's account has a participant (credit_account_owner_matches_kind), so the
# one-per-participant rule holds as a whole unique index on it, which also serves every lookup
# by participant: the key's own index was a second copy (issue 13, target 4).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0006_unqueried_indexes'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='account',
            name='credit_account_one_per_participant',
        ),
        migrations.AlterField(
            model_name='account',
            name='participant',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='credit_accounts', to='people.participant', verbose_name='participant'),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.UniqueConstraint(fields=('participant',), name='credit_account_one_per_participant'),
        ),
    ]
