"""What text may be stored, and what an XML document (.docx, .xlsx) may carry.

Typed or imported text: control characters (but tab and line breaks, for a textarea) become
spaces; invisible format characters (zero-width space, soft hyphen, joiners, bidi marks, the
byte-order mark: Unicode category Cf), noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF…) and lone
surrogates are removed. None of them is part of a Vietnamese name or sentence, and some break
documents: lxml refuses U+FFFE in a .docx, a zero-width space makes an "explanation" look
written when nothing was. tinnhiem.middleware (web requests), sessions.imports.clean_text
(files) and the command line (import_tally) apply `clean_input`.

`xml_safe` is the last guard when a document is written: text stored before these rules (a
certified name is never changed) loses what XML 1.0 cannot hold instead of failing the file.
"""

from __future__ import annotations

import re

_CONTROL_CODES = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
_CONTROLS = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROL_CODES) + "]")

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
# Cf characters a keyboard or a paste can bring, the noncharacters and the surrogates.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\ud800-\udfff" + _NONCHARACTERS + "]"
)

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_input(text: str) -> str:
    """Controls (but tab, CR, LF) as spaces; invisible characters and noncharacters removed."""
    return _INVISIBLE.sub("", _CONTROLS.sub(" ", text))


def visible(text: str) -> str:
    """The text without invisible characters and with its whitespace collapsed: what a reader
    sees (an explanation of nothing but zero-width spaces is empty)."""
    return " ".join(_INVISIBLE.sub("", text).split())


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (and without invisible ones)."""
    return _NOT_XML.sub("", _INVISIBLE.sub("", text))
