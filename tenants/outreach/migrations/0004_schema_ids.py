# Keys from the schema's one sequence instead of an identity per table (docs/adr/0010).
# switch() moves the sequence past every existing key afterwards (and back: each identity).

import tijdvoorelkaar.schema_ids
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('outreach', '0003_join_tables_without_reverse_indexes'),
        ('accounts', '0005_schema_ids'),
    ]

    operations = tijdvoorelkaar.schema_ids.switch(
        migrations.AlterField(
            model_name='digestpreference',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
        tijdvoorelkaar.schema_ids.table_to_schema_ids('outreach_digestpreference_categories'),
        tijdvoorelkaar.schema_ids.table_to_schema_ids('outreach_digestpreference_sub_areas'),
    )
