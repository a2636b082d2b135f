"""An official over the years, and a leader's overview of the bodies below."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.urls import reverse

from sessions.models import VotingSession
from sessions.regimes import REGIMES

CSV_2018 = (
    "Họ và tên,Chức vụ,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\nTrần Văn Lâu,Chủ tịch,10,10,30\n"
)
CSV_2023 = (
    "Họ và tên,Chức vụ,Tín nhiệm cao,Tín nhiệm,Tín nhiệm thấp\nTrần Văn Lâu,Chủ tịch,40,5,2\n"
)


def _import(tmp_path, name, content, *args):
    path = tmp_path / name
    path.write_text(content)
    out = io.StringIO()
    call_command("import_tally", str(path), *args, stdout=out)
    return VotingSession.objects.get(public_id=out.getvalue().strip().splitlines()[-1])


def test_an_officials_page_shows_every_session_they_were_rated_in(client, cast, tmp_path):
    old = _import(
        tmp_path,
        "2018.csv",
        CSV_2018,
        "--title",
        "2018",
        "--regime",
        "nq85",
        "--collected",
        "50",
        "--summoned",
        "52",
        "--organization",
        cast.org.name,
        "--date",
        "2018-11-20",
        "--new-officials",
    )
    new = _import(
        tmp_path,
        "2023.csv",
        CSV_2023,
        "--title",
        "2023",
        "--regime",
        "qd96",
        "--collected",
        "47",
        "--organization",
        cast.org.name,
        "--date",
        "2023-09-14",
        "--match-officials",
    )
    # The same person, rated twice: the second import continued the first one's official.
    official = old.candidates.get().official
    assert new.candidates.get().official == official
    client.force_login(cast.leader)
    response = client.get(reverse("results:official", args=[official.pk]))
    assert response.status_code == 200
    history = response.context["history"]
    assert [row.session.title for row in history] == ["2023", "2018"]
    assert history[1].denominator == 52  # nq85: all members
    assert history[1].line.band_code == "over_half"  # 30 of 52: > ½, < ⅔
    assert history[0].line.band_code == "none"


def test_an_official_nobody_may_see_is_a_404(client, cast, tmp_path):
    session = _import(
        tmp_path,
        "x.csv",
        CSV_2023,
        "--title",
        "X",
        "--regime",
        "qd96",
        "--collected",
        "47",
        "--organization",
        cast.other_org.name,
        "--new-officials",
    )
    client.force_login(cast.leader)
    official = session.candidates.get().official
    assert client.get(reverse("results:official", args=[official.pk])).status_code == 404


def test_the_overview_lists_the_bodies_below_with_who_fell_in_a_band(client, cast, tmp_path):
    _import(
        tmp_path,
        "x.csv",
        CSV_2018,
        "--title",
        "Có người dưới ngưỡng",
        "--regime",
        "qd96",
        "--collected",
        "50",
        "--organization",
        cast.org.name,
        "--new-officials",
    )
    client.force_login(cast.parent_leader)
    page = client.get(reverse("results:overview")).content.decode()
    assert "Có người dưới ngưỡng" in page
    assert "Trần Văn Lâu" in page
    assert cast.session.title in page
    assert cast.other_session.title not in page


@pytest.mark.parametrize("regime", ["qd96", "nq96", "nq85"])
def test_every_band_edge_agrees_with_exact_fractions(regime):
    """Integers against Fraction for every count of every N up to 500, odd and even."""
    for n in range(1, 501):
        for low in range(n + 1):
            share = Fraction(low, n)
            band = REGIMES[regime].band(procedure="rating", against=low, denominator=n)
            code = band.code if band else None
            if share >= Fraction(2, 3):
                assert code == "two_thirds", (n, low)
            elif share > Fraction(1, 2):
                assert code == "over_half", (n, low)
            else:
                assert code is None, (n, low)
            confidence = REGIMES[regime].band(procedure="confidence", against=low, denominator=n)
            assert (confidence is not None) == (share > Fraction(1, 2)), (n, low)
