# django_migrations' and django-otp's keys from the schema's one sequence (docs/adr/0010):
# a sequence less each in every schema. Their migration state does not change (the key stays
# an auto field of its type to Django; only where the database takes the number from does),
# so a later migration of those packages finds the column it expects. Here, in an app of
# ours that is in every schema, after the tables' own migrations.

import tijdvoorelkaar.schema_ids
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_schema_ids'),
        ('otp_static', '0003_add_timestamps'),
        ('otp_totp', '0003_add_timestamps'),
    ]

    operations = tijdvoorelkaar.schema_ids.switch(
        tijdvoorelkaar.schema_ids.table_to_schema_ids('django_migrations'),
        tijdvoorelkaar.schema_ids.table_to_schema_ids('otp_static_staticdevice'),
        tijdvoorelkaar.schema_ids.table_to_schema_ids('otp_static_statictoken'),
        tijdvoorelkaar.schema_ids.table_to_schema_ids('otp_totp_totpdevice'),
    )
