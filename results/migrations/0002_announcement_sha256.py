"""The announcement gets its recorded SHA-256 like the minutes and the ballot set.

Existing rows are backfilled with the hash of the announcement as stored now: that records the
state at the upgrade (an announcement swapped before it cannot be told apart any more).
"""

import hashlib

from django.db import migrations, models


def backfill(apps, schema_editor):
    Certification = apps.get_model("results", "Certification")
    for certification in Certification.objects.only("pk", "announcement_pdf").iterator():
        digest = hashlib.sha256(bytes(certification.announcement_pdf)).hexdigest()
        Certification.objects.filter(pk=certification.pk).update(announcement_sha256=digest)


class Migration(migrations.Migration):

    dependencies = [
        ("results", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="certification",
            name="announcement_sha256",
            field=models.CharField(
                default="", max_length=64, verbose_name="announcement fingerprint (SHA-256)"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="certification",
            constraint=models.CheckConstraint(
                condition=models.Q(("announcement_sha256", ""), _negated=True),
                name="certification_announcement_has_fingerprint",
            ),
        ),
    ]
