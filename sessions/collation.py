"""Vietnamese name order: given name (the last word) first, then the rest, in Vietnamese
alphabetical order.

Customary lists of Vietnamese people (the committee in the minutes, class and staff lists) sort
by given name, then by the family and middle names. Letters follow the Vietnamese alphabet:
a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z); the letters of
foreign names (f, j, w, z) take their Latin place. Tones only break ties between words with the
same letters, in dictionary order: none, huyền (`), hỏi (?), ngã (~), sắc ('), nặng (.), as
the Unicode CLDR Vietnamese collation does. Case is ignored. Code-point order, by contrast,
puts "Đàm" after "Trần" and "Ánh" after "Bình".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from .models import CommitteeMember

_ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_OTHER = len(_ALPHABET)  # digits and other characters after the letters, in code-point order

WordKey = tuple[tuple[tuple[int, int], ...], tuple[int, ...]]


def _word_key(text: str) -> WordKey:
    """(letters, tones): the letters compare first over the whole text, the tones break ties."""
    letters: list[tuple[int, int]] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _LETTER_MARKS and letters:
            base = _ALPHABET[letters[-1][0]] if 0 <= letters[-1][0] < _OTHER else ""
            composed = unicodedata.normalize("NFC", base + char)
            if composed in _LETTER_RANK:
                letters[-1] = (_LETTER_RANK[composed], 0)
                continue
        if char in _TONE_RANK:
            if tones:
                tones[-1] = _TONE_RANK[char]
            continue
        if unicodedata.combining(char):
            continue
        rank = _LETTER_RANK.get(char)
        if rank is not None:
            letters.append((rank, 0))
        else:  # a space before any letter ("Lê Văn" before "Lêa"), then digits and the rest
            letters.append((-1, 0) if char.isspace() else (_OTHER, ord(char)))
        tones.append(0)
    return tuple(letters), tuple(tones)


def name_key(full_name: str) -> tuple[WordKey, WordKey, str]:
    """Sort key for a Vietnamese full name: given name, then family and middle names."""
    words = unicodedata.normalize("NFC", full_name).split()
    given = words[-1] if words else ""
    rest = " ".join(words[:-1])
    return _word_key(given), _word_key(rest), full_name


def committee_order(members: Iterable[CommitteeMember]) -> list[CommitteeMember]:
    """The head first, then the members, each by Vietnamese name order; the typing order (pk)
    breaks the tie between two people of the same name."""
    return sorted(
        members,
        key=lambda m: (m.role != CommitteeMember.Role.HEAD, name_key(m.full_name), m.pk or 0),
    )
