# The day's and the month's visitor rows in one table keyed by (kind, period, visitor), as the
# salts are: the same shape twice cost a table and a key in every schema. The rows move over as
# they are; each kind's hashes stay made with its own salt (the day's, the reporting year's),
# and the nightly job deletes the same salts as before.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('siteuse', '0004_one_salt_table'),
    ]

    operations = [
        migrations.CreateModel(
            name='Visitor',
            fields=[
                ('pk', models.CompositePrimaryKey('kind', 'period', 'visitor', blank=True, editable=False, primary_key=True, serialize=False)),
                ('kind', models.CharField(choices=[('day', 'Day'), ('month', 'Month')], max_length=5)),
                ('period', models.DateField()),
                ('visitor', models.CharField(max_length=32)),
                ('visits', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunSQL(
            "INSERT INTO siteuse_visitor (kind, period, visitor, visits)"
            " SELECT 'day', day, visitor, visits FROM siteuse_dailyvisitor"
            " UNION ALL SELECT 'month', month, visitor, visits FROM siteuse_regularvisitor",
            "INSERT INTO siteuse_dailyvisitor (day, visitor, visits)"
            " SELECT period, visitor, visits FROM siteuse_visitor WHERE kind = 'day';"
            " INSERT INTO siteuse_regularvisitor (month, visitor, visits)"
            " SELECT period, visitor, visits FROM siteuse_visitor WHERE kind = 'month'",
        ),
        migrations.DeleteModel(
            name='DailyVisitor',
        ),
        migrations.DeleteModel(
            name='RegularVisitor',
        ),
    ]
