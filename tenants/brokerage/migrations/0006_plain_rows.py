# A support conversation's columns are bounded (its summary at 500 characters, kept short on
# purpose): its widest row is a fraction of a page, so it is stored in the row and the table
# loses its TOAST table (tijdvoorelkaar/plain_rows.py; issue 13, target 4).

import tijdvoorelkaar.plain_rows
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('brokerage', '0005_unqueried_indexes'),
    ]

    operations = [
        tijdvoorelkaar.plain_rows.store_plain(
            'brokerage_supportconversation', ['channel', 'summary']
        ),
    ]
