from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0002_announcement_sha256"),
    ]

    operations = [
        migrations.AddField(
            model_name="certification",
            name="result",
            field=models.JSONField(
                default=dict, editable=False, verbose_name="results as certified"
            ),
        ),
        migrations.AddField(
            model_name="certification",
            name="result_sha256",
            field=models.CharField(
                default="",
                editable=False,
                max_length=64,
                verbose_name="results fingerprint (SHA-256)",
            ),
        ),
    ]
