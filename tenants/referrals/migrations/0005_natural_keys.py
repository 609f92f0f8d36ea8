# Keyed by what makes a row unique instead of a surrogate id (docs/adr/0011): the unique
# constraint becomes the primary key, one index less per neighbourhood. Django does not migrate
# a table onto such a key, so the SQL is ours (tijdvoorelkaar.natural_keys) and the state is
# what makemigrations wrote.

import django.db.models.deletion
from django.db import migrations, models

from tijdvoorelkaar.natural_keys import keyed_by, to_natural_key


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0009_natural_keys'),
        ('referrals', '0004_unqueried_indexes'),
    ]

    operations = [
        keyed_by(
            to_natural_key("referrals_groupvisit_joined", ["groupvisit_id", "participant_id"], unique="referrals_groupvisit_joi_groupvisit_id_participan_5f6ccc41_uniq"),
            migrations.CreateModel(
                name='GroupVisitJoin',
                fields=[
                    ('pk', models.CompositePrimaryKey('groupvisit', 'participant', blank=True, editable=False, primary_key=True, serialize=False)),
                    ('groupvisit', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='referrals.groupvisit')),
                    ('participant', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.participant')),
                ],
                options={
                    'db_table': 'referrals_groupvisit_joined',
                },
            ),
            migrations.AlterField(
                model_name='groupvisit',
                name='joined',
                field=models.ManyToManyField(blank=True, related_name='group_visits_joined', through='referrals.GroupVisitJoin', to='people.participant', verbose_name='people who became participants'),
            ),
        ),
    ]
