# The search matches live ads only (published, not expired: a few hundred, found through
# ad_status_newest), whose stored vectors are read in a millisecond or two: the GIN index over
# every ad ever placed (two pages in every new neighbourhood) was not used by the planner even
# at 3,000 ads (issue 13, target 4; docs/operations/benchmarks.md, "Schema footprint").

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('market', '0007_expiry_by_status_newest'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='ad',
            name='ad_search',
        ),
    ]
