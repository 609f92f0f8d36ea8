# A batch's messages are found through one_message_per_recipient (batch, to), which leads with
# the batch: its own index was a second copy of the same key.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('outbox', '0006_schema_ids'),
    ]

    operations = [
        migrations.AlterField(
            model_name='outboxmessage',
            name='batch',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='outbox.outboxbatch'),
        ),
    ]
