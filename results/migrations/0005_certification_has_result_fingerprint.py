from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0004_freeze_certified_results"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="certification",
            constraint=models.CheckConstraint(
                condition=models.Q(("result_sha256", ""), _negated=True),
                name="certification_has_result_fingerprint",
            ),
        ),
    ]
