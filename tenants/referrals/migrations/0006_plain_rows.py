# A referral's columns are all bounded (names, an institution, a short reason of 200
# characters): its widest row is a fraction of a page, so it is stored in the row and the table
# loses its TOAST table (tijdvoorelkaar/plain_rows.py; issue 13, target 4).

import tijdvoorelkaar.plain_rows
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0005_natural_keys'),
    ]

    operations = [
        tijdvoorelkaar.plain_rows.store_plain(
            'referrals_referral',
            [
                'direction', 'institution', 'referrer_name', 'referrer_role', 'service',
                'service_name', 'reason', 'category',
            ],
        ),
    ]
