"""``phrasekit export``: a pack in force, in another tool's format (espanso, CSV, Zendesk
macros) or as JSON for scripts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import Location, NotFoundError, PackError, PhrasekitError

EXPORT_FORMATS = ("espanso", "csv", "zendesk", "chatwoot", "json")


def pack_items(folder: str | Path) -> tuple[dict, list[dict]]:
    """A pack's header and its phrases, each as the checked mapping a pack file gives (title and
    source too), in file order; ``PackError`` when the pack does not validate."""
    from ..packs import phrase_files
    from ..validate import check_pack_file, check_phrase_file, check_phrases
    from ..yamlfile import load_yaml

    folder = Path(folder)
    manifest = folder / "pack.yaml"
    doc = load_yaml(manifest)
    header, findings = check_pack_file(doc)
    seen: dict[str, str] = {}
    items, problems = check_phrases(doc, ("phrases",), header["categories"], seen, header["blanks"])
    findings += problems
    for path in phrase_files(folder, False):
        part = load_yaml(path)
        more, problems = check_phrase_file(part, header, seen)
        items += more
        findings += part.findings + problems
    hard = [finding for finding in findings if not finding.soft]
    if hard:
        raise PackError(
            f"pack has {len(hard)} problem(s); it is not exported",
            Location(str(folder)),
            findings=hard[:10],
            hint=f"Check it with 'phrasekit packs validate {folder}'.",
        )
    return header, items


def export_pack(fmt: str, pack: str, *, paths: Sequence[str] = (), prefix: str | None = None, warn=None) -> str:
    """The pack named ``pack`` (among the packs in force) as the text of an ``fmt`` export."""
    from ..catalogue import list_packs
    from ..errors import did_you_mean

    if fmt not in EXPORT_FORMATS:
        raise PhrasekitError(
            f"unknown format {fmt!r}{did_you_mean(fmt, EXPORT_FORMATS)}", hint=f"Formats: {', '.join(EXPORT_FORMATS)}."
        )
    packs = list_packs(paths=paths, warn=warn)
    found = [entry for entry in packs if entry["name"] == pack]
    if not found:
        names = [entry["name"] for entry in packs]
        raise NotFoundError(
            f"no pack named {pack!r} is in force{did_you_mean(pack, names)}",
            hint=f"Packs in force: {', '.join(names)} (phrasekit packs list; add one with --path DIR).",
        )
    header, items = pack_items(found[-1]["path"])
    items = [{key: value for key, value in item.items() if key not in ("family_at", "line")} for item in items]
    if fmt == "json":
        return _json(header, items, found[-1])
    from importlib import import_module

    module = import_module(f"{__package__}.{ {'csv': 'csvfile'}.get(fmt, fmt) }")
    if fmt == "espanso":  # --prefix, else the pack's own trigger_prefix, else :pk-
        chosen = prefix if prefix is not None else header.get("trigger_prefix") or module.PREFIX
        return module.write(items, pack, prefix=chosen)
    if fmt in ("zendesk", "chatwoot"):
        return module.write(items, pack, spellings(found[-1]["path"], fmt))
    return module.write(items, pack)


def spellings(folder: str | Path, fmt: str) -> dict[str, str]:
    """How imports from ``fmt`` into this pack wrote the blanks phrasekit has no standard one for
    (``refund_policy`` was ``{{dc.refund_policy}}``), from their records in ``imports/``; an
    unreadable record is passed over (the blank is then written as ``[refund_policy]``)."""
    import json

    found: dict[str, str] = {}
    for record in sorted(Path(folder).glob("imports/*.json")):
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(data, dict) and data.get("format") == fmt and isinstance(data.get("spellings"), dict):
            found.update({str(k): str(v) for k, v in data["spellings"].items()})
    return found


def _json(header: dict, items: list[dict], entry: dict) -> str:
    families = {
        name: {
            key: (list(value) if isinstance(value, tuple) else value)
            for key, value in spec.items()
            if key in ("title", "sector", "situations", "sensitive", "fault")
        }
        for name, spec in (header.get("families") or {}).items()
    }
    body = {
        "name": header["name"],
        "title": header.get("title") or "",
        "version": header.get("version") or "",
        "locale": header.get("locale") or "en",
        "description": header.get("description") or "",
        "synonyms": {word: list(words) for word, words in (header.get("synonyms") or {}).items()},
        "categories": {
            name: {"description": d, "guidance": g, "step": s}
            for name, (d, g, s) in (header.get("categories") or {}).items()
        },
        "blanks": {**(header.get("file_blanks") or {}), **(header.get("blanks") or {})},
        "families": families,
        "phrases": [
            {key: (list(value) if isinstance(value, tuple) else value) for key, value in item.items()} for item in items
        ],
    }
    from ..output import json_text

    return json_text(body, indent=2) + "\n"


def write_export(text: str, output: str | Path, force: bool = False) -> Path:
    """Write an export atomically; an existing file only with ``force``."""
    from ..files import write_atomic

    return write_atomic(output, text, force=force, make_folder=False)
