"""Language selection, the text of every request (NFC, no NUL), and a clear page for a 405."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from sessions.text import clean_input


class DefaultLanguageMiddleware:
    """Activate the language from the language cookie, else LANGUAGE_CODE.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language header: the
    interface is Vietnamese by default in every hall, whatever language the phone is set to.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class InputTextMiddleware:
    """Text from the browser reaches every view in NFC, without NUL or other control characters.

    The one place for both rules, because views in all three apps read request parameters
    outside any form (the voter search `q`, the results `sort`, the desk's search), and a rule
    on form fields would miss those and every future field that forgot it. PostgreSQL refuses a
    NUL in any string (a 500 where SQLite went on), so a request carrying one in its path, query,
    form fields, cookies or headers is refused whole with a 400, before a session is loaded; no
    person types a NUL. Query and form values are put in NFC, so a name typed on a keyboard that
    sends decomposed Vietnamese (NFD) is stored and compared as the same name, and other control
    characters than tab and line breaks become spaces. Passwords are left as typed: they are
    compared as hashes of what was set. Files are read by the imports, which
    clean each cell the same way (sessions.imports.clean_text).

    Listed after VoterBodyLimitMiddleware, which refuses a large body before anyone reads it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            response = render(request, "400.html", status=400)
            patch_cache_control(response, no_store=True)
            return response
        request.GET = _cleaned(request.GET)
        if request.method == "POST":
            request.POST = _cleaned(request.POST)
        return self.get_response(request)


def _carries_nul(request: HttpRequest) -> bool:
    texts = [request.path, *request.COOKIES.keys(), *request.COOKIES.values()]
    texts += [value for key, value in request.META.items() if key.startswith("HTTP_")]
    for data in (request.GET, request.POST if request.method == "POST" else QueryDict()):
        for key, values in data.lists():
            texts.append(key)
            texts.extend(values)
    return any("\x00" in text for text in texts if isinstance(text, str))


# Other control characters than tab and line breaks are invisible, break the XLSX and PDF
# documents made from the text, and come only from pasting: they become spaces; invisible
# format characters and noncharacters are removed (sessions.text).


def _cleaned(data: QueryDict) -> QueryDict:
    """`data` with every key and value (but passwords) in NFC without control characters;
    `data` itself when it already is."""

    def clean(text: str) -> str:
        return unicodedata.normalize("NFC", clean_input(text))

    lists = [
        (clean(key), values if "password" in key else [clean(value) for value in values])
        for key, values in data.lists()
    ]
    if lists == list(data.lists()):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in lists:
        cleaned.setlistdefault(key, []).extend(values)
    cleaned._mutable = False
    return cleaned


SESSION_PATH = re.compile(r"^/sessions/(\d+)/")


class MethodNotAllowedPageMiddleware:
    """A clear page in the reader's layout for a bare 405, with the same Allow header.

    `require_POST` answers a GET with an empty HttpResponseNotAllowed: what a browser shows on a
    reload after "Close voting", or on a bookmarked action URL. The page says the action was done
    by its button (or already done) and leads back: to the session's page for a session URL, to
    the code page for a voter page, else home. A 405 with a body of its own is left as it is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        session = SESSION_PATH.match(request.path)
        if session:
            back = f"/sessions/{session.group(1)}/"
        elif request.path.startswith("/b/"):
            back = reverse("ballots:start")
        else:
            back = "/"
        page = render(request, "405.html", {"back": back}, status=405)
        if "Allow" in response.headers:
            page["Allow"] = response["Allow"]
        return page
