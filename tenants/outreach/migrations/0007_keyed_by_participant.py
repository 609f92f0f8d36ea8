# The digest preference is keyed by its participant (one each; docs/adr/0011), and its chosen
# sub-areas and categories move from two join tables into two columns of ids on the row: two
# tables, their keys and the preference's `id` index less in every neighbourhood. The join
# rows are copied into the columns (and back: those whose sub-area or category still exists).
#
# The row stays without a TOAST table (tijdvoorelkaar/plain_rows.py, docs/adr/0013): a
# resident's choice is a few ids. `frequency` is stored plain before the columns come (so that
# backwards, once they are gone, it goes back to EXTENDED without PostgreSQL wanting a TOAST
# table for them), the new columns after, and the rewrite leaves out the TOAST table their
# ADD COLUMN made.

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models

from tijdvoorelkaar.natural_keys import keyed_by, to_natural_key
from tijdvoorelkaar.plain_rows import store_plain

TABLE = "outreach_digestpreference"
CHOICES = [  # the column of ids, the join table it replaces, its column, the table it points at
    ("sub_area_ids", "outreach_digestpreference_sub_areas", "subarea_id", "people_subarea"),
    ("category_ids", "outreach_digestpreference_categories", "category_id", "market_category"),
]
# Checked as each statement ends, not at the commit: a check still pending would stop the
# ALTER TABLEs that follow ("pending trigger events").
CHECK_NOW = "SET CONSTRAINTS ALL IMMEDIATE"
COPY = "UPDATE {} p SET {}".format(
    TABLE,
    ", ".join(
        f"{ids} = ARRAY(SELECT j.{column} FROM {table} j"
        f" WHERE j.digestpreference_id = p.id ORDER BY 1)"
        for ids, table, column, _target in CHOICES
    ),
)
COPY_BACK = [  # only what still exists: the join tables' foreign keys check it
    f"INSERT INTO {table} (digestpreference_id, {column})"
    f" SELECT p.id, x.id FROM {TABLE} p JOIN {target} x ON x.id = ANY(p.{ids})"
    for ids, table, column, target in CHOICES
]


class Migration(migrations.Migration):

    dependencies = [
        ('outreach', '0006_natural_keys'),
    ]

    operations = [
        migrations.RunSQL(
            f'ALTER TABLE {TABLE} ALTER COLUMN "frequency" SET STORAGE PLAIN',
            f'ALTER TABLE {TABLE} ALTER COLUMN "frequency" SET STORAGE EXTENDED',
        ),
        migrations.AddField(
            model_name='digestpreference',
            name='sub_area_ids',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, size=None, verbose_name='sub-areas'),
        ),
        migrations.AddField(
            model_name='digestpreference',
            name='category_ids',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, size=None, verbose_name='categories'),
        ),
        migrations.RunSQL([CHECK_NOW, COPY], [CHECK_NOW, *COPY_BACK]),
        # the row is stored plain: its widest must fit a page (the service refuses more first)
        migrations.AddConstraint(
            model_name='digestpreference',
            constraint=models.CheckConstraint(condition=models.Q(('category_ids__len__lte', 200), ('sub_area_ids__len__lte', 200)), name='digest_choice_bounded'),
        ),
        # The many-to-many fields have no column; deleting their models drops the join tables.
        migrations.RemoveField(
            model_name='digestpreference',
            name='categories',
        ),
        migrations.RemoveField(
            model_name='digestpreference',
            name='sub_areas',
        ),
        migrations.DeleteModel(
            name='DigestCategory',
        ),
        migrations.DeleteModel(
            name='DigestSubArea',
        ),
        keyed_by(
            to_natural_key(TABLE, ["participant_id"], unique="outreach_digestpreference_participant_id_key"),
            migrations.RemoveField(
                model_name='digestpreference',
                name='id',
            ),
            migrations.AlterField(
                model_name='digestpreference',
                name='participant',
                field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='digest_preference', serialize=False, to='people.participant'),
            ),
        ),
        # backwards nothing: the columns go with their AddField
        migrations.RunSQL(store_plain(TABLE, [ids for ids, *_rest in CHOICES]).sql, migrations.RunSQL.noop),
    ]
