"""Blanks: the commitments a phrase leaves for the rep to fill (``I'll call you {when}``).

A phrase never promises a time, an amount or a remedy the rep has not chosen, so the bank writes
them as named blanks in braces. ``{{`` and ``}}`` are literal braces. A blank is filled from a
value the rep gives (``--set when="by 5 pm today"``), a case file, or the case details of a
render; an unfilled blank is shown as ``[when]`` so it can never be read out by mistake.

A blank may carry a default after a bar, ``{customer|there}``: the words used when the case has
no value for it (a greeting's "Hi there" when the customer's name is not known). Only a detail
that may safely be left general has one; a commitment (``{when}``, ``{remedy}``) never does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import NamedTuple

BLANK_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*\Z")
_PART_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class StandardBlank(NamedTuple):
    name: str
    help: str
    example: str
    details: tuple[str, ...]
    """Case details that fill it, first found wins (besides the bare name: ``--set when=...``)."""


STANDARD_BLANKS: tuple[StandardBlank, ...] = (
    StandardBlank("when", "when it will happen, as you commit to it", "by 5 pm today", ("case.when",)),
    StandardBlank("next_step", "the next thing you will do", "open a trace with our delivery partner",
                  ("case.next_step", "case.next_steps")),
    StandardBlank("channel", "how you will be in touch", "by email", ("case.channel",)),
    StandardBlank("remedy", "what your policy allows to put it right", "a replacement sent by express",
                  ("case.remedy", "case.resolution")),
    StandardBlank("order", "the order number", "4417-22", ("case.order", "order.id", "case.order_id")),
    StandardBlank("amount", "a sum of money", "$42.50", ("case.amount",)),
    StandardBlank("date", "a date", "3 March", ("case.date",)),
    StandardBlank("duration", "how long something takes", "about ten minutes", ("case.duration",)),
    StandardBlank("reference", "a case or reference number", "C-20931", ("case.reference", "case.id")),
    StandardBlank("product", "the product or service", "the X200 router", ("case.product",)),
    StandardBlank("plan", "the plan, tariff or subscription", "the Family plan", ("case.plan",)),
    StandardBlank("team", "the team you bring in", "our billing specialists", ("case.team",)),
    StandardBlank("customer", "the customer's first name", "Dana", ("customer.first_name",)),
    StandardBlank("agent", "your name", "Sam", ("agent.name",)),
    StandardBlank("company", "the company's name", "Northwind", ("company.name",)),
)  # fmt: skip
STANDARD = {blank.name: blank for blank in STANDARD_BLANKS}


class BlankProblem(NamedTuple):
    """A malformed or unknown blank at ``offset`` in a phrase's text."""

    offset: int
    token: str
    message: str


def _split(inside: str) -> tuple[str, str | None]:
    """A blank's name and its default (``customer|there`` -> ``("customer", "there")``)."""
    name, bar, default = inside.partition("|")
    return name, (default.strip() if bar else None)


def parse(text: str) -> list[str | tuple[str] | tuple[str, str]]:
    """The text as literal strings and blanks, ``(name,)`` or ``(name, default)``, escapes
    resolved; malformed braces are kept as written (``problems`` reports them)."""
    parts: list[str | tuple[str]] = []
    position = 0
    for match in _PART_RE.finditer(text):
        if match.start() > position:
            parts.append(text[position : match.start()])
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
        elif match.group(1) is not None and BLANK_NAME_RE.match(_split(match.group(1))[0]):
            name, default = _split(match.group(1))
            parts.append((name,) if default is None else (name, default))
        else:
            parts.append(token)
        position = match.end()
    if position < len(text):
        parts.append(text[position:])
    return parts


def names(text: str) -> list[str]:
    """The blanks of a text, each once, in order."""
    if "{" not in text:
        return []
    return list(dict.fromkeys(part[0] for part in parse(text) if isinstance(part, tuple)))


def defaults(text: str) -> dict[str, str]:
    """The defaults the blanks of a text carry (``{customer|there}``), by name; the first wins."""
    if "|" not in text:
        return {}
    found: dict[str, str] = {}
    for part in parse(text):
        if isinstance(part, tuple) and len(part) == 2:
            found.setdefault(part[0], part[1])
    return found


def problems(text: str, known: Mapping[str, str] | frozenset[str] | set[str]) -> list[BlankProblem]:
    """Every malformed brace and unknown blank name in ``text``."""
    found = []
    if "{" not in text and "}" not in text:
        return found
    for match in _PART_RE.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if token in ("{", "}"):
            found.append(
                BlankProblem(match.start(), token, f"a lone {token!r}: write {token * 2!r} for a literal brace")
            )
            continue
        name, default = _split(match.group(1))
        if not BLANK_NAME_RE.match(name):
            found.append(
                BlankProblem(
                    match.start(),
                    token,
                    f"invalid blank {token!r}: a blank is a name in lowercase "
                    "letters, digits and underscores, like {when} (or {customer|there}, with a default); "
                    "write {{ and }} for literal braces",
                )
            )
        elif name not in known:
            from difflib import get_close_matches

            close = get_close_matches(name, list(known), n=1)
            hint = f"; did you mean {{{close[0]}}}?" if close else ""
            found.append(
                BlankProblem(
                    match.start(),
                    token,
                    f"unknown blank {token!r}{hint} (standard blanks: "
                    f"{', '.join(STANDARD)}; a pack declares others under 'blanks:')",
                )
            )
    return found  # fmt: skip


def fill(text: str, values: Mapping[str, str], unfilled: Callable[[str], str] = lambda name: f"[{name}]") -> str:
    """The text with each blank replaced by its value, else its default, else ``unfilled(name)``."""
    if "{" not in text and "}" not in text:
        return text
    out = []
    for part in parse(text):
        if isinstance(part, tuple):
            value = values.get(part[0])
            if value not in (None, ""):
                out.append(str(value))
            else:
                out.append(part[1] if len(part) == 2 else unfilled(part[0]))
        else:
            out.append(part)
    return "".join(out)


def values_from(details: Mapping, wanted: list[str]) -> dict[str, str]:
    """Values for the blanks ``wanted`` from case details: the bare name first (``when: ...``
    or ``--set when=...``), then ``case.<name>``, then the standard blank's own case details."""
    from .case import get_path

    values = {}
    for name in wanted:
        standard = STANDARD.get(name)
        for path in (name, f"case.{name}", *(standard.details if standard else ())):
            value = get_path(details, path)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
                values[name] = str(value).strip()
                break
    return values
