# Keys from the schema's one sequence instead of an identity per table (docs/adr/0010).
# switch() moves the sequence past every existing key afterwards (and back: each identity).

import tijdvoorelkaar.schema_ids
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_fewer_indexes'),
    ]

    operations = [
        tijdvoorelkaar.schema_ids.create_sequence(),
        *tijdvoorelkaar.schema_ids.switch(
            migrations.AlterField(
                model_name='user',
                name='id',
                field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
            ),
        ),
    ]
