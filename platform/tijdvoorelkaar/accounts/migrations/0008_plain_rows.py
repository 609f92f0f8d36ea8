# The user's and django_migrations' columns are all bounded (an address of 254 characters, a
# password hash, a name; a migration's app and name): their widest row is a fraction of a page,
# so they are stored in the row and the tables lose their TOAST tables, a relation and a page
# each in every schema (tijdvoorelkaar/plain_rows.py; issue 13, target 4). Here, in an app of
# ours that is in every schema (django_migrations is Django's).

import tijdvoorelkaar.plain_rows
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_third_party_unqueried_indexes'),
    ]

    operations = [
        tijdvoorelkaar.plain_rows.store_plain(
            'accounts_user', ['password', 'email', 'full_name', 'role']
        ),
        tijdvoorelkaar.plain_rows.store_plain('django_migrations', ['app', 'name']),
    ]
