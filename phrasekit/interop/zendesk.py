"""Zendesk macros: the ``{"macros": [...]}`` body the Macros API lists (``GET /api/v2/macros``),
read into canned replies and written back from a pack."""

from __future__ import annotations

import re

from ..errors import Location
from .source import Canned, ImportError_, Skipped, json_location, load_json, type_name

WHAT = "a Zendesk macros export"
_TEXT_FIELDS = ("comment_value", "comment_value_html")
_DESCRIPTION_RE = re.compile(
    r"^phrasekit (?P<pack>[a-z0-9-]+)/(?P<id>[a-z0-9-]+) \((?P<category>[a-z-]+)"
    r"(?:; channels: (?P<channels>[a-z, ]+))?(?:; tone: (?P<tone>[a-z]+))?(?:; source: (?P<source>.+))?\)$"
)


def _fail(text: str, display: str, path: tuple, message: str, hint: str | None = None) -> ImportError_:
    return ImportError_(message, json_location(text, display, path), hint=hint)


def read(text: str, display: str, include_inactive: bool = False) -> tuple[list[Canned], list[Skipped], list[str]]:
    """The macros of a Zendesk export: those that write a reply, the ones skipped and why, and
    notes about the file as a whole (another page to import)."""
    from .guess import normal_category
    from .plaintext import html_to_text

    data = load_json(text, display, WHAT)
    if isinstance(data, dict) and "macro" in data and "macros" not in data:
        data = {"macros": [data["macro"]]}
    if not isinstance(data, dict):
        raise ImportError_(
            f'{WHAT} is an object holding "macros": [...], not {type_name(data)}',
            Location(display, 1, 1),
            hint='Export with GET /api/v2/macros, which answers {"macros": [...]}; '
            'a bare list of macros can be wrapped as {"macros": LIST}.',
        )
    if "macros" not in data:
        raise ImportError_(
            f'no "macros" in this file, so it is not {WHAT}',
            Location(display, 1, 1),
            hint="Give the answer of GET /api/v2/macros.",
        )
    macros = data["macros"]
    if not isinstance(macros, list):
        raise _fail(text, display, ("macros",), f'"macros" must be a list of macros, not {type_name(macros)}')
    file_notes = []
    meta, links = data.get("meta"), data.get("links")
    following = data.get("next_page") or (  # offset pages, or cursor pages (meta.has_more, links.next)
        isinstance(meta, dict)
        and meta.get("has_more") is True
        and (isinstance(links, dict) and links.get("next") or "?")
    )
    if isinstance(following, str) and following:
        data["next_page"] = following
        file_notes.append(
            f"{display} is one page of the export and another follows ({data['next_page']}): "
            "import every page, all at once: phrasekit import zendesk PAGE1 PAGE2 ..."
        )
    found, skipped = [], []
    for number, macro in enumerate(macros):
        where = ("macros", number)
        if not isinstance(macro, dict):
            raise _fail(text, display, where, f"each macro must be an object, not {type_name(macro)}")
        for key in ("title", "description", "raw_title"):
            value = macro.get(key)
            if value is not None and not isinstance(value, str):
                raise _fail(text, display, where + (key,), f"a macro's {key!r} must be text, not {type_name(value)}")
        title = (macro.get("title") or "").strip()
        if not title:
            raise _fail(text, display, where, "a macro without a title", hint="Every Zendesk macro has one.")
        line = json_location(text, display, where).line
        macro_id = macro.get("id")
        if macro_id is not None and (isinstance(macro_id, bool) or not isinstance(macro_id, (int, str))):
            raise _fail(text, display, where + ("id",), f"a macro's id must be a number, not {type_name(macro_id)}")
        active = macro.get("active", True)
        if not isinstance(active, bool):
            raise _fail(text, display, where + ("active",), f"'active' must be true or false, not {type_name(active)}")
        actions = macro.get("actions") or []
        if not isinstance(actions, list):
            raise _fail(text, display, where + ("actions",), f"'actions' must be a list, not {type_name(actions)}")
        texts: dict[str, str] = {}
        internal = False
        for at, action in enumerate(actions):
            if not isinstance(action, dict):
                raise _fail(
                    text, display, where + ("actions", at), f"each action must be an object, not {type_name(action)}"
                )
            field = action.get("field")
            value = action.get("value")
            if field == "comment_mode_is_public" and str(value).lower() == "false":
                internal = True
            if field not in _TEXT_FIELDS:
                continue
            if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str):
                value = value[1]  # ["channel:all", "text"]
            if not isinstance(value, str):
                raise _fail(
                    text,
                    display,
                    where + ("actions", at, "value"),
                    f"the reply text of {field!r} must be text, not {type_name(value)}",
                )
            texts.setdefault(field, value)
        if not active and not include_inactive:
            skipped.append(Skipped(title, line, "inactive in Zendesk (--include-inactive imports it)"))
            continue
        if internal:
            skipped.append(Skipped(title, line, "an internal note, not words for the customer"))
            continue
        notes: list[str] = []
        if "comment_value" in texts and texts["comment_value"].strip():
            body = texts["comment_value"].strip()
        elif "comment_value_html" in texts:
            body, links = html_to_text(texts["comment_value_html"])
            notes += [f"a link to {link} was kept as its words only" for link in links]
        else:
            reason = "its reply text is empty" if texts else "it writes no reply (it only sets ticket fields)"
            skipped.append(Skipped(title, line, reason))
            continue
        if not body.strip():
            skipped.append(Skipped(title, line, "its reply text is empty"))
            continue
        parts = [part.strip() for part in title.split("::") if part.strip()]
        extra = {}
        described = _DESCRIPTION_RE.match(macro.get("description") or "")
        if described:
            extra = {"id": described["id"], "category": described["category"]}
            if described["channels"]:
                extra["channels"] = [name.strip() for name in described["channels"].split(",") if name.strip()]
            if described["tone"]:
                extra["tone"] = described["tone"]
            if described["source"]:
                extra["source"] = described["source"]
        found.append(
            Canned(
                key=_key(macro_id, title, extra.get("source")),
                title=title,
                text=body,
                line=line,
                tags=[part.lower() for part in parts[:-1] if not normal_category(part)],
                category=next((normal_category(part) for part in parts[:-1] if normal_category(part)), None),
                situations=[parts[-1].lower()] if parts else [],
                notes=notes,
                extra=extra,
            )
        )
    return found, skipped, file_notes


def write(items: list[dict], pack: str, written: dict[str, str] | None = None) -> str:
    """A pack's phrases as Zendesk macros, one per phrase: the ``{"macros": [...]}`` body, each
    macro ready to create with ``POST /api/v2/macros`` (``{"macro": ITEM}``). No macro id is
    written, so nothing in Zendesk is replaced by mistake; the description says which phrase it
    is and where it came from, which an import of this file reads back."""
    from ..blanks import parse
    from ..output import json_text
    from .placeholders import from_blanks

    macros = []
    for item in items:
        details = item["category"]
        if item.get("channels"):
            details += f"; channels: {', '.join(item['channels'])}"
        if item.get("tone"):
            details += f"; tone: {item['tone']}"
        if item.get("source"):
            details += f"; source: {item['source']}"
        macros.append({
            "title": item.get("title") or _title(item),
            "active": True,
            "description": f"phrasekit {pack}/{item['id']} ({details})",
            "actions": [{"field": "comment_value", "value": from_blanks(parse(item["text"]), "zendesk", written)}],
        })  # fmt: skip
    return json_text({"macros": macros, "count": len(macros)}, indent=2) + "\n"


def _key(macro_id, title: str, source: str | None) -> str:
    """What a re-import matches a macro on: its id, else the phrase source an export wrote in its
    description (so a pack's own export reads back onto the same phrases), else its title."""
    if macro_id is not None:
        return str(macro_id)
    if source:
        return source[len("zendesk:") :] if source.startswith("zendesk:") else source
    return title


def _title(item: dict) -> str:
    words = item["id"].replace("-", " ")
    leaf = words[:1].upper() + words[1:]
    return "::".join([*(tag.capitalize() for tag in item.get("tags") or ()), leaf])
