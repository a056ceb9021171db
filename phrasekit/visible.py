"""Text as it may be shown: nothing a pack, a case or a draft holds can act on the terminal.

Packs come from strangers and case details from customers, so every human-readable line
phrasekit prints goes through ``visible``: a control character (C0, DEL, C1) is written as
``\\x1b`` (``\\n``, ``\\r``, ``\\t`` by name), and any other character that would not show
as itself (a bidi control, a zero-width or other format character, a line or paragraph
separator, a private-use or unassigned code point) as ``<U+202E>``. Letters of every script,
marks, emoji and spaces (``U+00A0``...) are left as they are, so are joiners inside a word or
an emoji sequence (Persian, Indic scripts and emoji need them).

``hidden`` lists what ``visible`` would change, for ``packs validate`` to name each one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_LINE_SUSPECTS = r"[^ -~]+"
"""Runs of characters outside printable ASCII: only these need a closer look. (Compiled on first
use, by ``re``'s own cache: most lines never need it.)"""

_BLOCK_SUSPECTS = r"[^\t\n -~]+"
"""The same for a block of lines, where line breaks and tabs are meant."""

SPACES = frozenset("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")
"""Spaces other than ' ' (Unicode's Zs): Python counts them unprintable, but each shows as a
space and does nothing else, and French or CJK text uses them."""

JOINERS = frozenset("\u200c\u200d")
"""Zero-width non-joiner and joiner: kept between two letters or emoji, shown elsewhere."""

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they reorder the text around them ("Trojan Source")."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def is_control(char: str) -> bool:
    """A C0 control (tab and line feed too), DEL or a C1 control."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code < 0xA0


def shown(char: str) -> str:
    """How ``visible`` writes one character: ``\\x1b`` for a control, else ``<U+202E>``."""
    if is_control(char):
        return _NAMED.get(char) or f"\\x{ord(char):02x}"
    return f"<U+{ord(char):04X}>"


def _kept(run: str, at: int) -> bool:
    char = run[at]
    if char.isprintable() or char in SPACES:
        return True
    # A joiner between two printable characters of the same run (non-ASCII letters or emoji).
    return char in JOINERS and 0 < at < len(run) - 1 and run[at - 1].isprintable() and run[at + 1].isprintable()


def _runs(text: str, block: bool, show: Callable[[str], str]):
    def replace(match: re.Match) -> str:
        run = match.group()
        if run.isprintable():
            return run
        out = [char if _kept(run, at) else show(char) for at, char in enumerate(run)]
        if block and run[-1] == "\r" and match.string.startswith("\n", match.end()):
            out[-1] = "\r"  # a CRLF line end
        return "".join(out)

    return replace


def visible(text: str, block: bool = False, show: Callable[[str], str] = shown) -> str:
    """``text`` with every control, bidi, invisible or unassigned character made visible
    (``show(char)``: ``\\x1b``, ``<U+202E>``). One line unless ``block``: a line break is then
    shown as ``\\n`` too, so a value can never split the line it is printed on; a ``block``
    (a file, a rendered message) keeps its line breaks (``\\n``, ``\\r\\n``) and tabs."""
    if text.isprintable():  # most lines: one pass in C
        return text
    return re.sub(_BLOCK_SUSPECTS if block else _LINE_SUSPECTS, _runs(text, block, show), text)


_PLAIN_ASCII = bytes(range(0x20, 0x7F))


def hidden(text: str, block: bool = True) -> Iterator[tuple[int, str]]:
    """(offset, character) for each character ``visible`` would change."""
    if text.isascii() and not text.encode("ascii").translate(None, _PLAIN_ASCII + (b"\t\n" if block else b"")):
        return  # a whole pack file at C speed (a regular expression takes five times as long)
    for match in re.finditer(_BLOCK_SUSPECTS if block else _LINE_SUSPECTS, text):
        run = match.group()
        if run.isprintable():
            continue
        for at, char in enumerate(run):
            if _kept(run, at) or block and char == "\r" and at == len(run) - 1 and text.startswith("\n", match.end()):
                continue
            yield match.start() + at, char


def breaks_text(char: str) -> bool:
    """A character no customer-facing text may hold: a control (but tab and line feed), a bidi
    embedding, override or isolate, or a line or paragraph separator. Other hidden characters
    (a zero-width space, a bidi mark) are shown but allowed."""
    return (is_control(char) and char not in "\t\n") or char in BIDI_CONTROLS or char in "\u2028\u2029"


_C0 = (
    "NULL,START OF HEADING,START OF TEXT,END OF TEXT,END OF TRANSMISSION,ENQUIRY,ACKNOWLEDGE,BELL,"
    "BACKSPACE,CHARACTER TABULATION,LINE FEED,LINE TABULATION,FORM FEED,CARRIAGE RETURN,SHIFT OUT,"
    "SHIFT IN,DATA LINK ESCAPE,DEVICE CONTROL ONE,DEVICE CONTROL TWO,DEVICE CONTROL THREE,"
    "DEVICE CONTROL FOUR,NEGATIVE ACKNOWLEDGE,SYNCHRONOUS IDLE,END OF TRANSMISSION BLOCK,CANCEL,"
    "END OF MEDIUM,SUBSTITUTE,ESCAPE,FILE SEPARATOR,GROUP SEPARATOR,RECORD SEPARATOR,UNIT SEPARATOR"
).split(",")
_C1 = {0x85: "NEXT LINE", 0x90: "DEVICE CONTROL STRING", 0x9B: "CONTROL SEQUENCE INTRODUCER",
       0x9C: "STRING TERMINATOR", 0x9D: "OPERATING SYSTEM COMMAND"}  # fmt: skip


def describe(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: the code point and its name (controls have none in
    Unicode's table, so theirs are kept here)."""
    code = ord(char)
    if code < 0x20:
        name = _C0[code]
    elif code == 0x7F:
        name = "DELETE"
    elif 0x80 <= code < 0xA0:
        name = _C1.get(code, "C1 CONTROL")
    else:
        import unicodedata

        name = unicodedata.name(char, "")
        if not name:
            name = {"Co": "PRIVATE USE", "Cs": "SURROGATE"}.get(unicodedata.category(char), "UNASSIGNED")
    return f"U+{code:04X} {name}"
