"""Freeze the results document of sessions certified before it was stored.

Such a certification has its minutes frozen but not the results document, so the document is
computed here, once, from the live tables, exactly as `result_certify` does. This uses the
application's own tally code (the law and its rounding live there, and are not to be written
twice), so it reads through the current models: it runs on a database upgraded through this
release, as every release is. A fresh database has no certification and does nothing here.
"""

from django.db import migrations


def freeze(apps, schema_editor):
    Certification = apps.get_model("results", "Certification")
    pending = list(Certification.objects.filter(result_sha256="").values_list("pk", "session_id"))
    if not pending:
        return
    from results import documents
    from results.tally import result_compute
    from sessions.models import VotingSession

    for pk, session_id in pending:
        session = VotingSession.objects.select_related("organization").get(pk=session_id)
        document = documents.frozen_document(result_compute(session))
        Certification.objects.filter(pk=pk).update(
            result=document,
            result_sha256=documents.sha256(documents.canonical_json(document)),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0003_certification_result"),
        ("ballots", "0002_paper"),
        ("votesessions", "0005_registryevent"),
    ]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
