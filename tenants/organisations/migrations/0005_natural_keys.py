# Keyed by what makes a row unique instead of a surrogate id (docs/adr/0011): the unique
# constraint becomes the primary key, one index less per neighbourhood. Django does not migrate
# a table onto such a key, so the SQL is ours (tijdvoorelkaar.natural_keys) and the state is
# what makemigrations wrote.

import django.db.models.deletion
from django.db import migrations, models

from tijdvoorelkaar.natural_keys import keyed_by, to_natural_key


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0004_unqueried_indexes'),
        ('people', '0009_natural_keys'),
    ]

    operations = [
        keyed_by(
            to_natural_key("organisations_organisation_members", ["organisation_id", "participant_id"], unique="organisations_organisati_organisation_id_particip_61b94677_uniq"),
            migrations.CreateModel(
                name='Membership',
                fields=[
                    ('pk', models.CompositePrimaryKey('organisation', 'participant', blank=True, editable=False, primary_key=True, serialize=False)),
                    ('organisation', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation')),
                    ('participant', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.participant')),
                ],
                options={
                    'db_table': 'organisations_organisation_members',
                },
            ),
            migrations.AlterField(
                model_name='organisation',
                name='members',
                field=models.ManyToManyField(blank=True, related_name='organisations', through='organisations.Membership', to='people.participant', verbose_name='members'),
            ),
        ),
    ]
