"""What every import reads: one canned reply as the other tool keeps it, and the source file
read safely (size, encoding, NUL bytes, JSON with the line of each problem)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import Location, PhrasekitError

SOURCE_LIMIT = 64 * 1024 * 1024
"""The largest export read. 300 macros with HTML bodies are about 1 MB, and Zendesk caps an
account at a few thousand; an export of tens of megabytes is a wrong file (a backup, a log)."""


class ImportError_(PhrasekitError):  # noqa: N801 - "ImportError" is Python's own
    """An export that cannot be read as the format it was named as."""


@dataclass
class Canned:
    """One canned reply (a macro, a text module, a canned response, a snippet) as read."""

    key: str
    """Its id in the tool it came from (a macro id, a short code, a trigger): what a re-import
    matches on, so the same reply keeps its phrase id."""
    title: str
    text: str
    """The reply's words as plain text, still in the tool's placeholder spelling."""
    line: int | None = None
    category: str | None = None
    """The category or folder the source gives, if any."""
    tags: list[str] = field(default_factory=list)
    situations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the reader noticed for the report (a link address dropped, a variable never run)."""
    resolve: Any = None
    """The tool's own variables (espanso's form fields), as ``placeholders.to_blanks`` takes them."""
    extra: dict = field(default_factory=dict)
    """Phrase keys the source carries for phrasekit itself (an export's id and category)."""
    where: str = ""
    """The file and line it was read at, as the report names it (set once the file is known)."""


@dataclass
class Skipped:
    """A reply that was read but not imported, and why."""

    title: str
    line: int | None
    reason: str
    where: str = ""
    """The file (and line) it was read at, as the report names it."""


ID_LENGTH = 48
"""Ids are made from titles; a title is a few words, and a longer id is harder to type in ``show``."""
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "ı": "i",
    }
)
"""Latin letters that are not an accent on another letter, so NFKD would drop them."""


def slug(text: str) -> str:
    """An id from a title: ASCII letters and digits joined by dashes ("Réponse: délai" ->
    ``reponse-delai``)."""
    import unicodedata

    spelled = text.translate(_LETTERS)
    ascii_text = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > ID_LENGTH:
            break
        out = f"{out}-{word}" if out else word
    return out or (words[0][:ID_LENGTH] if words else "")


def read_source(path: str, what: str) -> tuple[str, str]:
    """The text of the export at ``path`` (``-`` for standard input) and the name to report it
    under. An empty file, bytes that are not UTF-8 and a NUL byte end in ``ImportError_``."""
    from ..files import read_input, read_user_file

    try:
        raw = b"" if path == "-" else read_user_file(path, what, SOURCE_LIMIT)
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # a spreadsheet saved as "Unicode text" (UTF-16)
            try:
                text, name = raw.decode("utf-16"), path
            except UnicodeDecodeError:
                raise ImportError_(f"{what} starts as UTF-16 but is not; save it as UTF-8", Location(path)) from None
            if "\x00" in text:
                raise ImportError_(f"{what} holds a NUL character: it is not text", Location(path))
        else:
            text, name = read_input(path, what, SOURCE_LIMIT)
    except PhrasekitError as exc:
        if isinstance(exc, ImportError_):
            raise
        raise ImportError_(exc.message, exc.location, hint=exc.hint) from None
    display = "standard input" if name == "-" else name
    if not text.strip():
        raise ImportError_(f"{what} is empty", Location(display), hint="Export the replies again and give that file.")
    return text, display


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def load_json(text: str, display: str, what: str) -> Any:
    """``text`` as JSON, or ``ImportError_`` at the line and column where it stops being JSON."""
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        line, column = _position(text, exc.pos)
        problem = next((plain for start, plain in _JSON_PROBLEMS if exc.msg.startswith(start)), exc.msg)
        cut = not text.rstrip().endswith(("}", "]"))
        ending = "; the file ends early: was the export cut short?" if cut else ""
        raise ImportError_(
            f"not valid JSON: {problem}{ending}",
            Location(display, line, column),
            hint=f"Give {what} as the tool wrote it.",
        ) from None


_JSON_PROBLEMS = (
    ("Unterminated string", "a text value starts here and is never closed"),
    ("Expecting value", "a value is missing here"),
    ("Expecting ',' delimiter", "a comma is missing here"),
    ("Expecting ':' delimiter", "a colon is missing here"),
    ("Expecting property name", "a key in double quotes is missing here (a trailing comma?)"),
    ("Extra data", "something follows the end of the JSON here"),
    ("Invalid control character", "a raw line break or control character inside a text value"),
    ("Invalid \\escape", "a backslash escape JSON does not know"),
)
"""Python's JSON messages, in words for a lead."""


def json_location(text: str, display: str, path: tuple) -> Location:
    """Where the value at ``path`` (``("macros", 3, "title")``) is written in JSON ``text``: its
    line and column when the file reads as YAML too (pretty JSON does), else just the file."""
    doc = _located(text, display)
    return doc.location(path) if doc is not None else Location(display)


@lru_cache(maxsize=2)
def _located(text: str, display: str):
    """The places of every value of a JSON file, read once per file (an export of 3,000 macros
    takes about a second) however many replies ask for theirs."""
    from ..yamlfile import parse_yaml

    try:
        doc = parse_yaml(text.replace("\t", " "), display)  # a tab is JSON's whitespace, not YAML's
    except PhrasekitError:
        return None
    return None if doc.findings else doc


def type_name(value: Any) -> str:
    names = {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "true/false",
        type(None): "null",
        int: "a number",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)
