# Keyed by what makes a row unique instead of a surrogate id (docs/adr/0011): the unique
# constraint becomes the primary key, one index less per neighbourhood. Django does not migrate
# a table onto such a key, so the SQL is ours (tijdvoorelkaar.natural_keys) and the state is
# what makemigrations wrote.

from django.db import migrations, models

from tijdvoorelkaar.natural_keys import keyed_by, to_natural_key


class Migration(migrations.Migration):

    dependencies = [
        ('siteuse', '0002_schema_ids'),
    ]

    operations = [
        keyed_by(
            to_natural_key("siteuse_dailyvisitor", ["day", "visitor"], unique="one_row_per_visitor_a_day"),
            migrations.RemoveConstraint(
                model_name='dailyvisitor',
                name='one_row_per_visitor_a_day',
            ),
            migrations.RemoveField(
                model_name='dailyvisitor',
                name='id',
            ),
            migrations.AddField(
                model_name='dailyvisitor',
                name='pk',
                field=models.CompositePrimaryKey('day', 'visitor', blank=True, editable=False, primary_key=True, serialize=False),
            ),
        ),
        keyed_by(
            to_natural_key("siteuse_regularvisitor", ["month", "visitor"], unique="one_row_per_visitor_a_month"),
            migrations.RemoveConstraint(
                model_name='regularvisitor',
                name='one_row_per_visitor_a_month',
            ),
            migrations.RemoveField(
                model_name='regularvisitor',
                name='id',
            ),
            migrations.AddField(
                model_name='regularvisitor',
                name='pk',
                field=models.CompositePrimaryKey('month', 'visitor', blank=True, editable=False, primary_key=True, serialize=False),
            ),
        ),
    ]
