# Keys from the schema's one sequence instead of an identity per table (docs/adr/0010).
# switch() moves the sequence past every existing key afterwards (and back: each identity).

import tijdvoorelkaar.schema_ids
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('mediations', '0002_fewer_indexes'),
        ('accounts', '0005_schema_ids'),
    ]

    operations = tijdvoorelkaar.schema_ids.switch(
        migrations.AlterField(
            model_name='feedback',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
        migrations.AlterField(
            model_name='followup',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
        migrations.AlterField(
            model_name='mediation',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
        migrations.AlterField(
            model_name='placement',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
        tijdvoorelkaar.schema_ids.table_to_schema_ids('mediations_mediation_ads'),
    )
