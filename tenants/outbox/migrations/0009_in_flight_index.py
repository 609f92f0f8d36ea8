# The sweeper's two indexes (status with claimed_at, status with next_attempt_at) as one over the
# messages still to go out (pending, sending): sent and failed ones, nearly every row, are never
# looked up by status alone. The batch's unique key over a batch's messages only: a message
# without a batch never conflicted. Issue 13 target 4: an index less, and a single mail (the
# first admin's invitation) adds no leaf to either.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('outbox', '0008_schema_ids'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='outboxmessage',
            name='one_message_per_recipient',
        ),
        migrations.RemoveIndex(
            model_name='outboxmessage',
            name='outbox_outb_status_72295d_idx',
        ),
        migrations.RemoveIndex(
            model_name='outboxmessage',
            name='outbox_outb_status_939f04_idx',
        ),
        migrations.AddIndex(
            model_name='outboxmessage',
            index=models.Index(condition=models.Q(('status', 'pending'), ('status', 'sending'), _connector='OR'), fields=['status', 'next_attempt_at'], name='outbox_in_flight'),
        ),
        migrations.AddConstraint(
            model_name='outboxmessage',
            constraint=models.UniqueConstraint(condition=models.Q(('batch__isnull', False)), fields=('batch', 'to'), name='one_message_per_recipient'),
        ),
    ]
