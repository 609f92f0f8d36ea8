# The reason a subscriber is undeliverable is written by the code and short; 150 characters
# keep the table's widest possible row under PostgreSQL's TOAST threshold, so the table needs no
# TOAST table (and its index) in any neighbourhood. Longer reasons are cut first.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mailings', '0003_schema_ids'),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE mailings_subscriber SET undeliverable_reason = left(undeliverable_reason, 150)"
            " WHERE length(undeliverable_reason) > 150",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='subscriber',
            name='undeliverable_reason',
            field=models.CharField(blank=True, max_length=150),
        ),
    ]
