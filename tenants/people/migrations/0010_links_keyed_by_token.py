# A participant's link is found by its token's hash, and nothing refers to it (no key, URL,
# task or audit detail names its id): the unique hash becomes the primary key, one index less
# per neighbourhood (docs/adr/0011; issue 13, target 4). Django does not migrate a table onto
# such a key, so the SQL is ours (tijdvoorelkaar.natural_keys) and the state is what
# makemigrations wrote.

from django.db import migrations, models

from tijdvoorelkaar.natural_keys import keyed_by, to_natural_key


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0009_natural_keys'),
    ]

    operations = [
        keyed_by(
            to_natural_key("people_participantlink", ["token_hash"], unique="people_participantlink_token_hash_key"),
            migrations.RemoveField(
                model_name='participantlink',
                name='id',
            ),
            migrations.AlterField(
                model_name='participantlink',
                name='token_hash',
                field=models.CharField(max_length=64, primary_key=True, serialize=False),
            ),
        ),
    ]
