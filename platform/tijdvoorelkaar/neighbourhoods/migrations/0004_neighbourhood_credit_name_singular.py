from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("neighbourhoods", "0003_neighbourhood_credit_expiry_months_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="neighbourhood",
            name="credit_name_singular",
            field=models.CharField(
                blank=True, default="Roosje", max_length=30, verbose_name="name of one time credit"
            ),
        ),
    ]
