# One index on the action for the audit page's filters (an action, a list of them, a prefix):
# varchar_pattern_ops serves = and LIKE 'x%' alike, where db_index made two indexes.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_reads_named_as_reads'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(max_length=60),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['action'], name='audit_action', opclasses=['varchar_pattern_ops']),
        ),
    ]
