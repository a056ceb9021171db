"""What a public reply must not show: the customer's private details, in whatever form a
template can turn them into.

A template can change a value before printing it (``upper``, ``title``, ``replace(" ", "")``,
``reverse``, a slice such as ``customer.phone[:10]``), so the rendered text is compared with
each private value after both are *folded*: Unicode-normalised, case-folded and stripped of
everything but letters and digits. A private value shows when its folded form does, or any
:data:`FRAGMENT` letters and digits of it in a row, or any :data:`DIGITS` of its digits in a
row (a slice of a phone number), forwards or reversed.

What the customer shows in public anyway (their name and handle) and the names a reply is
signed with are not leaks, even where a private value repeats them (an email address made of
the customer's name). A template that deliberately encodes a value (a letter between each
character) is not caught: this guards against slips, and against templates that change case.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping

from .case import get_path

FRAGMENT = 8
"""Letters and digits in a row from a private value that count as showing it: long enough that
ordinary words of a reply rarely match by chance, short enough to catch an email's local part
or a street name with its number."""

DIGITS = 7
"""Digits in a row from a private value's digits that count as showing it: seven digits are a
local phone number (``"+44 20 7946 0018"[:10]`` keeps seven), more than a case or order number
shares with it by chance."""

WHOLE = 5
"""A private value this long or longer (folded) is refused anywhere in the text as a whole, so
a short postcode or account number is caught too; shorter ones (a house number) only as typed."""

SHOWN = ("customer.name", "customer.first_name", "customer.handle", "agent.name", "company.name")
"""Details a public reply may carry (whom it answers, who signs it)."""


def fold(text: str) -> str:
    """Only the letters and digits of ``text``, Unicode-normalised and case-folded."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdecimal())


def leaves(value: object) -> Iterator[str]:
    """The texts in a case value: itself, or every text and number inside a list or mapping."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, (int, float)):
        yield str(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from leaves(item)


def _windows(text: str, size: int) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


class _Text:
    """The rendered text, folded once, with its windows made as they are first needed."""

    def __init__(self, text: str) -> None:
        self.folded = fold(text)
        self.digits = _digits(self.folded)
        self._windows: dict[tuple[str, int], set[str]] = {}

    def windows(self, kind: str, size: int) -> set[str]:
        key = (kind, size)
        if key not in self._windows:
            text = self.folded if kind == "folded" else self.digits
            self._windows[key] = _windows(text, size) | _windows(text[::-1], size)
        return self._windows[key]


def _shows(value: str, text: _Text, shown: list[str]) -> bool:
    """Whether ``text`` shows ``value`` in some changed form (not counting what ``shown`` holds)."""
    folded = fold(value)

    def allowed(piece: str) -> bool:
        return any(piece in other for other in shown)

    whole = len(folded) >= WHOLE and not allowed(folded)
    if whole and (folded in text.folded or folded[::-1] in text.folded):
        return True
    pieces = {p for p in _windows(folded, FRAGMENT) if not allowed(p)}
    if pieces & text.windows("folded", FRAGMENT):
        return True
    numbers = {p for p in _windows(_digits(folded), DIGITS) if not allowed(p)}
    return bool(numbers & text.windows("digits", DIGITS))


def leaks(text: str, details: Mapping, private: Iterable[str]) -> list[tuple[str, bool]]:
    """The private fields of ``details`` that ``text`` shows, each with whether it shows as
    given (``True``) or only changed (``False``)."""
    shown = [fold(value) for name in SHOWN for value in leaves(get_path(details, name))]
    folded = _Text(text)
    found = []
    for name in private:
        values = [value.strip() for value in leaves(get_path(details, name)) if value.strip()]
        if any(value in text for value in values):
            found.append((name, True))
        elif any(_shows(value, folded, shown) for value in values):
            found.append((name, False))
    return found
