# Django adds a varchar_pattern_ops ("_like") index beside every unique or indexed CharField,
# for LIKE 'x%'; no query here filters so on these columns (only audit actions do).
# Here also for the login's third-party tables (sessions, API tokens, recovery codes), which
# are in every schema as this app is: their migrations come first, so each drop finds its
# index in the schema being migrated.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ('accounts', '0003_user_without_groups_and_permissions'),
        ('sessions', '0001_initial'),
        ('authtoken', '0004_alter_tokenproxy_options'),
        ('otp_static', '0003_add_timestamps'),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS accounts_user_email_b2644a56_like",
            "CREATE INDEX accounts_user_email_b2644a56_like ON accounts_user (email varchar_pattern_ops)",
        ),
        migrations.RunSQL(
            "DROP INDEX IF EXISTS django_session_session_key_c0390e0f_like",
            "CREATE INDEX django_session_session_key_c0390e0f_like ON django_session (session_key varchar_pattern_ops)",
        ),
        migrations.RunSQL(
            "DROP INDEX IF EXISTS authtoken_token_key_10f0b77e_like",
            "CREATE INDEX authtoken_token_key_10f0b77e_like ON authtoken_token (key varchar_pattern_ops)",
        ),
        migrations.RunSQL(
            "DROP INDEX IF EXISTS otp_static_statictoken_token_d0a51866_like",
            "CREATE INDEX otp_static_statictoken_token_d0a51866_like ON otp_static_statictoken (token varchar_pattern_ops)",
        ),
    ]
