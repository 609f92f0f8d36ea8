# The day's and the reporting year's salts in one table keyed by (kind, day): a neighbourhood
# holds two or three salts, and a table each cost a table and a key in every schema. The salts
# move over (a year's under January 1 of its year), so today's visitors are still recognised.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('siteuse', '0003_natural_keys'),
    ]

    operations = [
        migrations.CreateModel(
            name='Salt',
            fields=[
                ('pk', models.CompositePrimaryKey('kind', 'day', blank=True, editable=False, primary_key=True, serialize=False)),
                ('kind', models.CharField(choices=[('day', 'Day'), ('year', 'Year')], max_length=4)),
                ('day', models.DateField()),
                ('salt', models.CharField(max_length=64)),
            ],
        ),
        migrations.RunSQL(
            "INSERT INTO siteuse_salt (kind, day, salt)"
            " SELECT 'day', day, salt FROM siteuse_dailysalt"
            " UNION ALL SELECT 'year', make_date(year, 1, 1), salt FROM siteuse_yearsalt",
            "INSERT INTO siteuse_dailysalt (day, salt) SELECT day, salt FROM siteuse_salt WHERE kind = 'day';"
            " INSERT INTO siteuse_yearsalt (year, salt)"
            " SELECT extract(year FROM day)::smallint, salt FROM siteuse_salt WHERE kind = 'year'",
        ),
        migrations.DeleteModel(
            name='DailySalt',
        ),
        migrations.DeleteModel(
            name='YearSalt',
        ),
    ]
