"""A certification made before results were frozen gets its frozen result when migrating."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ballots import services
from results import services as result_services
from results.models import Certification
from tests.factories import open_session


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_an_older_certification_gets_its_frozen_result_when_migrating(cast_tx):
    codes = open_session(cast_tx.session, cast_tx.secretariat, codes=2, activate=2)
    candidates = list(cast_tx.session.candidates.order_by("order"))
    for code in codes:
        services.ballot_cast(raw=code, choices={c.pk: "low" for c in candidates})
    services.session_close(actor=cast_tx.secretariat, session=cast_tx.session)
    cast_tx.session.refresh_from_db()
    result_services.result_certify(actor=cast_tx.committee, session=cast_tx.session)
    expected = Certification.objects.values_list("result", "result_sha256").get()
    try:
        _migrate(("results", "0001_initial"))  # the schema before: no frozen result at all
        with connection.cursor() as cursor:
            columns = [
                c.name
                for c in connection.introspection.get_table_description(
                    cursor, Certification._meta.db_table
                )
            ]
        assert "result" not in columns
        _migrate(("results", "0005_certification_has_result_fingerprint"))
    finally:
        call_command("migrate", "results", verbosity=0)
    assert Certification.objects.values_list("result", "result_sha256").get() == expected
