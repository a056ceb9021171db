"""Chatwoot canned responses: the list ``GET /api/v1/accounts/{id}/canned_responses`` answers
(``[{"id", "short_code", "content", ...}]``), read into canned replies and written back."""

from __future__ import annotations

import re

from ..errors import Location
from .source import Canned, ImportError_, Skipped, json_location, load_json, type_name

WHAT = "a Chatwoot canned responses export"


def read(text: str, display: str, include_inactive: bool = False) -> tuple[list[Canned], list[Skipped], list[str]]:
    """The canned responses of a Chatwoot export (Chatwoot has no inactive ones)."""
    data = load_json(text, display, WHAT)
    if isinstance(data, dict) and isinstance(data.get("payload"), list):
        data = data["payload"]
    if not isinstance(data, list):
        raise ImportError_(
            f"{WHAT} is a list of canned responses, not {type_name(data)}",
            Location(display, 1, 1),
            hint='Give the answer of GET /api/v1/accounts/ID/canned_responses: [{"short_code": ..., '
            '"content": ...}, ...].',
        )
    found, skipped = [], []
    for number, entry in enumerate(data):
        where = (number,)
        if not isinstance(entry, dict):
            raise ImportError_(
                f"each canned response must be an object, not {type_name(entry)}", json_location(text, display, where)
            )
        for key in ("short_code", "content"):
            value = entry.get(key)
            if value is None:
                raise ImportError_(
                    f"a canned response without {key!r}",
                    json_location(text, display, where),
                    hint="Each one has a short_code and its content.",
                )
            if not isinstance(value, str):
                raise ImportError_(
                    f"{key!r} must be text, not {type_name(value)}", json_location(text, display, where + (key,))
                )
        line = json_location(text, display, where).line
        code = entry["short_code"].strip()
        if not entry["content"].strip():
            skipped.append(Skipped(code, line, "its content is empty"))
            continue
        entry_id = entry.get("id")
        key = str(entry_id) if isinstance(entry_id, (int, str)) and not isinstance(entry_id, bool) else code
        words = " ".join(part for part in re.split(r"[\W_]+", code.lower()) if part)
        found.append(
            Canned(key=key, title=code, text=entry["content"].strip(), line=line, situations=[words] if words else [])
        )
    return found, skipped, []


def write(items: list[dict], pack: str, written: dict[str, str] | None = None) -> str:
    """A pack's phrases as Chatwoot canned responses: a list of ``{"short_code", "content"}``, each
    ready for ``POST /api/v1/accounts/{id}/canned_responses``; one that came from Chatwoot keeps
    its id and short code."""
    from ..blanks import parse
    from ..output import json_text
    from .placeholders import from_blanks

    out = []
    for item in items:
        entry: dict = {}
        source = item.get("source") or ""
        came_from_here = source.startswith("chatwoot:")
        if came_from_here and source[9:].isdigit():
            entry["id"] = int(source[9:])
        entry["short_code"] = item["title"] if came_from_here and item.get("title") else item["id"]
        entry["content"] = from_blanks(parse(item["text"]), "chatwoot", written)
        out.append(entry)
    return json_text(out, indent=2) + "\n"
