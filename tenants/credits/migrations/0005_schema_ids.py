# Keys from the schema's one sequence instead of an identity per table (docs/adr/0010).
# switch() moves the sequence past every existing key afterwards (and back: each identity).

import tijdvoorelkaar.schema_ids
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0004_vouchers_unindexed_accounts'),
        ('accounts', '0005_schema_ids'),
    ]

    operations = tijdvoorelkaar.schema_ids.switch(
        migrations.AlterField(
            model_name='account',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
        migrations.AlterField(
            model_name='movement',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
        migrations.AlterField(
            model_name='offer',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
        migrations.AlterField(
            model_name='redemption',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
        migrations.AlterField(
            model_name='transfer',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
        migrations.AlterField(
            model_name='voucher',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
        migrations.AlterField(
            model_name='voucherbatch',
            name='id',
            field=tijdvoorelkaar.schema_ids.SchemaId(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
    )
