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
        ('mediations', '0004_unqueried_indexes'),
    ]

    operations = [
        keyed_by(
            to_natural_key("mediations_mediation_ads", ["mediation_id", "ad_id"], unique="mediations_mediation_ads_mediation_id_ad_id_75422410_uniq"),
            migrations.CreateModel(
                name='MediationAd',
                fields=[
                    ('pk', models.CompositePrimaryKey('mediation', 'ad', blank=True, editable=False, primary_key=True, serialize=False)),
                ],
                options={
                    'db_table': 'mediations_mediation_ads',
                },
            ),
            migrations.AddField(
                model_name='mediationad',
                name='ad',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='market.ad'),
            ),
            migrations.AddField(
                model_name='mediationad',
                name='mediation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='mediations.mediation'),
            ),
            migrations.AlterField(
                model_name='mediation',
                name='ads',
                field=models.ManyToManyField(blank=True, related_name='mediations', through='mediations.MediationAd', to='market.ad', verbose_name='ads'),
            ),
        ),
        keyed_by(
            to_natural_key("mediations_feedback", ["mediation_id", "participant_id"], unique="one_answer_each"),
            migrations.RemoveConstraint(
                model_name='feedback',
                name='one_answer_each',
            ),
            migrations.RemoveField(
                model_name='feedback',
                name='id',
            ),
            migrations.AddField(
                model_name='feedback',
                name='pk',
                field=models.CompositePrimaryKey('mediation', 'participant', blank=True, editable=False, primary_key=True, serialize=False),
            ),
        ),
    ]
