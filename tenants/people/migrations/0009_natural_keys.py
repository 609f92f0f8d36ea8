# Keyed by what makes a row unique instead of a surrogate id (docs/adr/0011): the unique
# constraint becomes the primary key, one index less per neighbourhood. Django does not migrate
# a table onto such a key, so the SQL is ours (tijdvoorelkaar.natural_keys) and the state is
# what makemigrations wrote.

import django.db.models.deletion
from django.db import migrations, models

from tijdvoorelkaar.natural_keys import keyed_by, to_natural_key


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0008_unqueried_indexes'),
    ]

    operations = [
        keyed_by(
            to_natural_key("people_participantprofile", ["participant_id"], unique="people_participantprofile_participant_id_key"),
            migrations.RemoveField(
                model_name='participantprofile',
                name='id',
            ),
            migrations.AlterField(
                model_name='participantprofile',
                name='participant',
                field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='profile', serialize=False, to='people.participant'),
            ),
        ),
    ]
