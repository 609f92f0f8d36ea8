# The expiry and renewal jobs (daily) and the first live end (cached) read published ads by
# their end: ad_status_newest finds the published ones by status, a few hundred at a time.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('market', '0006_unqueried_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='ad',
            name='ad_status_expiry',
        ),
    ]
