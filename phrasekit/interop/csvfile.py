"""Canned replies in a spreadsheet: the CSV most helpdesks export (a title or name, the text,
perhaps a category and keywords), comma- or semicolon-separated, quoted cells over several
lines. Zammad's text modules (``name;keywords;content;note;active``) and Help Scout's saved
replies read the same way."""

from __future__ import annotations

import re

from ..errors import Location
from .source import Canned, ImportError_, Skipped

WHAT = "a CSV of canned replies"
COLUMNS = {
    "text": ("text", "content", "body", "reply", "message", "response", "answer", "template", "snippet", "value"),
    "title": ("title", "name", "subject", "short_code", "shortcode", "shortcut", "label", "trigger"),
    "category": ("category", "folder", "group", "type"),
    "tags": ("tags", "keywords", "labels", "tag", "keyword"),
    "situations": ("situations",),
    "id": ("id", "key", "uid"),
    "active": ("active", "enabled", "status"),
    "channels": ("channels",),
    "tone": ("tone",),
    "source": ("source",),
}
"""Header names per meaning, compared without case, spaces or punctuation; the first column
found for a meaning is used."""
_INACTIVE = frozenset({"false", "0", "no", "inactive", "disabled", "archived", "off"})
EXPORT_COLUMNS = ("id", "title", "text", "category", "tags", "situations", "channels", "tone", "source")


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


_WORDS = (
    ("title", ("title", "name", "subject", "shortcut", "shortcode", "label", "trigger")),
    ("text", ("text", "content", "body", "reply", "message", "response", "answer", "template", "snippet")),
    ("category", ("category", "folder", "group")),
    ("tags", ("tags", "keywords", "labels", "tag", "keyword")),
)
"""For a header no exact name matched ("Macro name", "Response text"): the words that give its
meaning, title words first, so "Response name" is a title and "Response body" the text."""


def _columns(header: list[str]) -> dict[str, int]:
    """The column of each meaning, by exact name first (``COLUMNS``), then by the words in it."""
    columns: dict[str, int] = {}
    keys = [_key(name) for name in header]
    for at, key in enumerate(keys):
        for meaning, names in COLUMNS.items():
            if key in names and meaning not in columns:
                columns[meaning] = at
    for at, key in enumerate(keys):
        if at in columns.values():
            continue
        words = set(key.split("_"))
        meaning = next((meaning for meaning, names in _WORDS if meaning not in columns and words & set(names)), None)
        if meaning is not None:
            columns[meaning] = at
    return columns


def _delimiter(text: str) -> str:
    """``,`` or ``;`` (or a tab), whichever the header line holds most of outside quotes."""
    header = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    counts = {mark: header.count(mark) for mark in (",", ";", "\t")}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] else ","


def _list(cell: str) -> list[str]:
    mark = ";" if ";" in cell else "|" if "|" in cell else ","
    return [part.strip() for part in cell.split(mark) if part.strip()]


def read(text: str, display: str, include_inactive: bool = False) -> tuple[list[Canned], list[Skipped], list[str]]:
    """The replies of a CSV export; a row marked inactive is skipped unless ``include_inactive``."""
    import csv
    import io

    from .plaintext import html_to_text, looks_like_html

    start = 1
    first_line, _, rest = text.partition("\n")
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:  # Excel's "sep=;" line
        delimiter, text, start = first_line.strip()[4], rest, 2
    else:
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    offset = start - 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1 + offset
    except csv.Error as exc:
        problem = str(exc)
        if "end of data" in problem:
            problem = 'a quoted cell is never closed (a " without its closing ")'
        raise ImportError_(
            f"not a readable CSV: {problem}",
            Location(display, start),
            hint='Quote a cell that holds the separator or a line break; write a " inside one as "".',
        ) from None
    if not rows:
        raise ImportError_(f"{WHAT} needs a header row", Location(display, 1))
    header_line, header = rows[0]
    columns = _columns(header)
    if "text" not in columns:
        names = ", ".join(repr(name) for name in header) or "none"
        raise ImportError_(
            f"no column for the reply's text (the header has {names})",
            Location(display, header_line),
            hint="Name it text or content; the title goes in title or name, and category, "
            "tags or keywords are optional.",
        )
    body = [(line, row) for line, row in rows[1:] if any(cell.strip() for cell in row)]
    if not body:
        raise ImportError_(f"{WHAT} has a header but no replies", Location(display, header_line))

    def cell(row: list[str], meaning: str) -> str:
        at = columns.get(meaning)
        return row[at].strip() if at is not None and at < len(row) else ""

    found, skipped = [], []
    for line, row in body:
        title = cell(row, "title")
        content = cell(row, "text")
        label = title or f"row at line {line}"
        if not content:
            skipped.append(Skipped(label, line, "its text cell is empty"))
            continue
        if cell(row, "active").lower() in _INACTIVE and not include_inactive:
            skipped.append(Skipped(label, line, "marked inactive (--include-inactive imports it)"))
            continue
        notes: list[str] = []
        if looks_like_html(content):
            content, links = html_to_text(content)
            notes += [f"a link to {link} was kept as its words only" for link in links]
        extra: dict = {}
        for meaning in ("id", "channels", "tone"):
            value = cell(row, meaning)
            if value:
                extra[meaning] = _list(value) if meaning == "channels" else value
        situations = _list(cell(row, "situations")) if "situations" in columns else ([title.lower()] if title else [])
        source = cell(row, "source")
        if source:
            extra["source"] = source
        key = source or cell(row, "id") or title or content[:60]
        found.append(
            Canned(
                key=key,
                title=title,
                text=content,
                line=line,
                category=cell(row, "category") or None,
                tags=[tag.lower() for tag in _list(cell(row, "tags"))],
                situations=situations,
                notes=notes,
                extra=extra,
            )
        )
    return found, skipped, []


def write(items: list[dict], pack: str) -> str:
    """A pack's phrases as CSV with a header (``id,title,text,...``), blanks written as phrasekit
    writes them (``{customer}``), lists joined with ``; ``. CSV has no escapes, so a character a
    terminal would hide or act on (a zero-width space, a bidi mark) is written as ``<U+200B>``."""
    import csv
    import io

    from ..visible import visible

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for item in items:
        row = []
        for column in EXPORT_COLUMNS:
            value = item.get(column)
            if isinstance(value, (list, tuple)):
                value = "; ".join(value)
            row.append(visible(value or "", block=True))  # CSV has no escapes: an invisible character is shown

        writer.writerow(row)
    return out.getvalue()
