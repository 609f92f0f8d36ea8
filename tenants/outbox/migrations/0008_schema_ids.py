# The outbox messages' keys from the schema's one sequence too (docs/adr/0010): all keys are
# bigint, so its growth lengthens no other key's storage; its own sequence was a relation per
# schema. switch() moves the sequence past every existing key afterwards (and back).

import tijdvoorelkaar.schema_ids
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('outbox', '0007_batch_key_in_unique'),
    ]

    operations = tijdvoorelkaar.schema_ids.switch(
        migrations.AlterField(
            model_name='outboxmessage',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
    )
