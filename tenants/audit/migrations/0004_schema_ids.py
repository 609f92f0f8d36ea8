# The audit log's keys from the schema's one sequence too (docs/adr/0010): all keys are bigint,
# so its growth lengthens no other key's storage; its own sequence was a relation per schema.
# switch() moves the sequence past every existing key afterwards (and back: each identity).

import tijdvoorelkaar.schema_ids
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_one_action_index'),
        ('accounts', '0005_schema_ids'),
    ]

    operations = tijdvoorelkaar.schema_ids.switch(
        migrations.AlterField(
            model_name='auditevent',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
    )
