# Keyed by what makes a row unique instead of a surrogate id (docs/adr/0011): the unique
# constraint becomes the primary key, one index less per neighbourhood. Django does not migrate
# a table onto such a key, so the SQL is ours (tijdvoorelkaar.natural_keys) and the state is
# what makemigrations wrote.

import django.db.models.deletion
from django.db import migrations, models

from tijdvoorelkaar.natural_keys import keyed_by, to_natural_key


class Migration(migrations.Migration):

    dependencies = [
        ('market', '0006_unqueried_indexes'),
        ('outreach', '0005_unqueried_indexes'),
        ('people', '0009_natural_keys'),
    ]

    operations = [
        keyed_by(
            to_natural_key("outreach_digestpreference_categories", ["digestpreference_id", "category_id"], unique="outreach_digestpreferenc_digestpreference_id_cate_cf97919b_uniq"),
            migrations.CreateModel(
                name='DigestCategory',
                fields=[
                    ('pk', models.CompositePrimaryKey('digestpreference', 'category', blank=True, editable=False, primary_key=True, serialize=False)),
                    ('category', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='market.category')),
                    ('digestpreference', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='outreach.digestpreference')),
                ],
                options={
                    'db_table': 'outreach_digestpreference_categories',
                },
            ),
            migrations.AlterField(
                model_name='digestpreference',
                name='categories',
                field=models.ManyToManyField(blank=True, through='outreach.DigestCategory', to='market.category', verbose_name='categories'),
            ),
        ),
        keyed_by(
            to_natural_key("outreach_digestpreference_sub_areas", ["digestpreference_id", "subarea_id"], unique="outreach_digestpreferenc_digestpreference_id_suba_9e8fadbd_uniq"),
            migrations.CreateModel(
                name='DigestSubArea',
                fields=[
                    ('pk', models.CompositePrimaryKey('digestpreference', 'subarea', blank=True, editable=False, primary_key=True, serialize=False)),
                    ('digestpreference', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='outreach.digestpreference')),
                    ('subarea', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.subarea')),
                ],
                options={
                    'db_table': 'outreach_digestpreference_sub_areas',
                },
            ),
            migrations.AlterField(
                model_name='digestpreference',
                name='sub_areas',
                field=models.ManyToManyField(blank=True, through='outreach.DigestSubArea', to='people.subarea', verbose_name='sub-areas'),
            ),
        ),
    ]
