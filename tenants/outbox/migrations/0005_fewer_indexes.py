# Django adds a varchar_pattern_ops ("_like") index beside every unique or indexed CharField,
# for LIKE 'x%'; no query here filters so on these columns (only audit actions do).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ('outbox', '0004_single_mails_with_html_sender_and_headers'),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS outbox_outboxbatch_name_b3da1045_like",
            "CREATE INDEX outbox_outboxbatch_name_b3da1045_like ON outbox_outboxbatch (name varchar_pattern_ops)",
        ),
    ]
