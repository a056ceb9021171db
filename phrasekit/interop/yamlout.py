"""Writing the YAML an import produces: every value double-quoted, so a value is read back
exactly as written (an id ``001`` stays text, ``no`` stays a word), and each file is laid out
the way docs/packs.md shows a pack, for a lead to read and edit."""

from __future__ import annotations

import json
import re

_UNSAFE_RE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def quoted(value: str) -> str:
    """``value`` as a YAML double-quoted scalar: JSON's escapes, which YAML reads the same way,
    plus an escape for what YAML would not take raw (line separators, C1 controls, a BOM) and for
    every character a terminal would act on or hide (a bidi mark, a zero-width space), so the
    file holds the exact value and printing it never sends one raw."""
    from ..visible import visible

    text = _UNSAFE_RE.sub(lambda match: _escape(match.group(0)), json.dumps(value, ensure_ascii=False))
    return visible(text, block=True, show=_escape)


def flow_list(values) -> str:
    return "[" + ", ".join(quoted(value) for value in values) + "]"


PHRASE_ORDER = ("id", "category", "title", "source", "text", "situations", "tags", "channels", "tone")


def phrase_lines(item: dict, comments: dict[str, str] | None = None) -> list[str]:
    """One phrase as the lines of a ``phrases:`` list entry; ``comments`` puts a note after a key
    (``category: "apology"  # guessed ...``)."""
    comments = comments or {}
    lines = []
    for key in PHRASE_ORDER:
        value = item.get(key)
        if value in (None, "", [], ()):
            continue
        written = flow_list(value) if isinstance(value, (list, tuple)) else quoted(str(value))
        note = f"  # {comments[key]}" if key in comments else ""
        lines.append(f"{'  - ' if not lines else '    '}{key}: {written}{note}")
    return lines
