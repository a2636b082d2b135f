"""The voter pages read small URL-encoded forms only: anything else is refused unread."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from ballots import middleware
from ballots.models import Ballot, GuessCount, Mark, VoterCode
from tests.built_once import built_once
from tests.factories import FORM, build_cast, full_choices, open_session

MB = 1024 * 1024


class Untouchable(io.RawIOBase):
    """A request body that fails the test if more than `allowed` bytes of it are read."""

    def __init__(self, allowed: int = 0) -> None:
        self.allowed = allowed
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.read_bytes += len(buffer)
        if self.read_bytes > self.allowed:
            raise AssertionError(f"the body was read ({self.read_bytes} bytes)")
        buffer[:] = b"x" * len(buffer)
        return len(buffer)


def _post(client: Client, url: str, *, content_type: str, length: int, **extra):
    body = Untouchable()
    response = client.generic(
        "POST",
        url,
        b"",
        content_type=content_type,
        **{"wsgi.input": body, "CONTENT_LENGTH": str(length), **extra},
    )
    return response, body


@built_once
def voting():
    cast = build_cast()
    cast.codes = open_session(cast.session, cast.secretariat)
    return cast


def _nothing_stored() -> bool:
    return (
        not Ballot.objects.exists()
        and not Mark.objects.exists()
        and not GuessCount.objects.exists()
        and VoterCode.objects.filter(state="used").count() == 0
    )


@pytest.mark.parametrize("name", ["ballots:start", "ballots:review", "ballots:cast"])
def test_a_fifty_megabyte_multipart_post_is_refused_without_reading_it(client, voting, name):
    response, body = _post(
        client,
        reverse(name),
        content_type="multipart/form-data; boundary=BoUnDaRy",
        length=50 * MB,
    )
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert _nothing_stored()
    assert "Chưa ghi nhận gì" in response.content.decode()  # "Nothing was recorded"
    assert response["Cache-Control"].count("no-store")


def test_a_small_multipart_post_is_refused_as_not_a_ballot_form(client, voting):
    response, body = _post(
        client, reverse("ballots:cast"), content_type="multipart/form-data; boundary=x", length=300
    )
    assert response.status_code == 415
    assert body.read_bytes == 0
    assert _nothing_stored()


def test_a_large_urlencoded_post_is_refused_unread(client, voting):
    response, body = _post(
        client, reverse("ballots:cast"), content_type=FORM, length=middleware.MAX_BODY + 1
    )
    assert response.status_code == 413
    assert body.read_bytes == 0


def test_a_chunked_body_of_unknown_length_is_refused_unread(client, voting):
    body = Untouchable()
    response = client.generic(
        "POST",
        reverse("ballots:cast"),
        b"",
        content_type=FORM,
        **{"wsgi.input": body, "HTTP_TRANSFER_ENCODING": "chunked"},
    )
    assert response.status_code == 411
    assert body.read_bytes == 0


@pytest.mark.parametrize("length", ["-1", "lots"])
def test_a_nonsense_content_length_is_a_400(client, voting, length):
    body = Untouchable()
    response = client.generic(
        "POST",
        reverse("ballots:start"),
        b"",
        content_type=FORM,
        **{"wsgi.input": body, "CONTENT_LENGTH": length},
    )
    assert response.status_code == 400
    assert body.read_bytes == 0


def test_the_refusal_is_in_english_on_request(client, voting):
    client.cookies["django_language"] = "en"
    response, _body = _post(client, reverse("ballots:cast"), content_type="text/plain", length=5)
    assert response.status_code == 415
    assert "This request is not a ballot form" in response.content.decode()


def test_a_ballot_for_two_hundred_candidates_fits_ten_times_over(voting):
    big_ids = range(9_999_800, 10_000_000)  # 200 candidates with long ids, the longest level
    data = {
        "csrfmiddlewaretoken": "x" * 64,
        "code": "7KQ2M-9XH4C-TD8WZ",
        **{f"c{pk}": "invalid" for pk in big_ids},
        "change": "1",
    }
    assert len(urlencode(data)) * 10 < middleware.MAX_BODY


def test_a_browser_form_passes_and_other_pages_keep_multipart(client, voting):
    data = urlencode({"code": voting.codes[0], **full_choices(voting.session)})
    assert client.post(reverse("ballots:cast"), data, content_type=FORM).status_code == 302
    # Multipart elsewhere (the staff's file imports) is not this rule's business.
    assert Client().post(reverse("login"), {"username": "x", "password": "y"}).status_code == 200


@pytest.mark.parametrize("name", ["login", "set_language", "results:public_list"])
def test_a_large_upload_from_someone_not_signed_in_is_refused_unread_anywhere(client, name):
    client.cookies["csrftoken"] = "x" * 32  # CsrfViewMiddleware would parse the body for it
    response, body = _post(
        client,
        reverse(name),
        content_type="multipart/form-data; boundary=BoUnDaRy",
        length=50 * MB,
    )
    assert response.status_code == 413
    assert body.read_bytes == 0


def test_signed_in_staff_may_still_upload_files_larger_than_a_ballot(client, cast):
    client.force_login(cast.secretariat)
    length = middleware.MAX_BODY + 1
    response = client.generic(
        "POST",
        reverse("votesessions:dashboard"),
        b"",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        **{"wsgi.input": Untouchable(allowed=length), "CONTENT_LENGTH": str(length)},
    )
    assert response.status_code == 200  # reached the page: staff uploads keep their own limits
