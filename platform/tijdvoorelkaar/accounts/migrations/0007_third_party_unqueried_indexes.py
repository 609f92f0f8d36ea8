# Indexes of the login's third-party tables that no query needs at a neighbourhood's size
# (docs/operations/benchmarks.md, "Schema footprint"):
# - django-otp's devices by user and recovery codes by device and by code: one authenticator
#   and one set of ten codes per staff member, tens of rows, a page or three; every query
#   (a user's devices, a code among a device's ten, a user's removal) reads them whole.
# - django_session.expire_date: only `clearsessions` asks (one DELETE over the expired ones,
#   which a scan serves as well); a session is read and written by its key.
# Their migration state keeps db_index (theirs); Django finds indexes by introspection when a
# later migration of theirs changes such a field, and deletes an index only if it finds one.

from django.db import migrations

INDEXES = {
    'otp_static_staticdevice_user_id_7f9cff2b': 'otp_static_staticdevice (user_id)',
    'otp_static_statictoken_device_id_74b7c7d1': 'otp_static_statictoken (device_id)',
    'otp_static_statictoken_token_d0a51866': 'otp_static_statictoken (token)',
    'otp_totp_totpdevice_user_id_0fb18292': 'otp_totp_totpdevice (user_id)',
    'django_session_expire_date_a5c62663': 'django_session (expire_date)',
}


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_third_party_keys_from_schema_ids'),
        ('sessions', '0001_initial'),
        ('otp_static', '0003_add_timestamps'),
        ('otp_totp', '0003_add_timestamps'),
    ]

    operations = [
        migrations.RunSQL(f'DROP INDEX "{name}"', f'CREATE INDEX "{name}" ON {table}')
        for name, table in INDEXES.items()
    ]
