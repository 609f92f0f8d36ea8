# A movement is keyed by (transfer, account) instead of a surrogate id (docs/adr/0011): its
# unique constraint was already the row's identity, nothing refers to a movement and nothing
# names one by id; one index less per neighbourhood. A transfer's movements were shown in id
# order, which was the order they were written in: what leaves before what arrives, for every
# transfer but a reversal. They are ordered so now, then by account. Django does not migrate
# a table onto such a key, so the SQL is ours (tijdvoorelkaar.natural_keys) and the state is
# what makemigrations wrote.

from django.db import migrations, models

from tijdvoorelkaar.natural_keys import keyed_by, to_natural_key


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0008_offer_stored_plain'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='movement',
            options={'ordering': ['transfer_id', 'amount', 'account_id'], 'verbose_name': 'credit movement', 'verbose_name_plural': 'credit movements'},
        ),
        keyed_by(
            to_natural_key("credits_movement", ["transfer_id", "account_id"], unique="credit_movement_one_per_account"),
            migrations.RemoveConstraint(
                model_name='movement',
                name='credit_movement_one_per_account',
            ),
            migrations.RemoveField(
                model_name='movement',
                name='id',
            ),
            migrations.AddField(
                model_name='movement',
                name='pk',
                field=models.CompositePrimaryKey('transfer', 'account', blank=True, editable=False, primary_key=True, serialize=False),
            ),
        ),
    ]
