"""``phrasekit import``: a team's canned replies from another tool, as a pack of their own.

The replies go into ``phrases/<format>.yaml`` of the pack folder (a new ``pack.yaml`` is written
when there is none); ``imports/<format>.json`` remembers which reply became which phrase, so a
re-import of the same export updates those phrases instead of adding copies, and keeps a phrase
a lead has edited since (``force`` takes the export's words). What a lead must look at (an
unknown placeholder, a hand-filled marker, a guessed category, a reply skipped) is in the result
and in ``imports/<format>-report.txt``. Nothing is written unless the whole pack validates.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, PhrasekitError
from .source import Canned, ImportError_, Skipped, read_source, slug

FORMATS = ("zendesk", "csv", "chatwoot", "espanso")
TOOL_NAMES = {"zendesk": "Zendesk", "csv": "CSV", "chatwoot": "Chatwoot", "espanso": "espanso"}


@dataclass
class Note:
    """Something about one imported phrase a lead should check."""

    phrase: str
    where: str
    message: str


@dataclass
class ImportResult:
    pack: str
    folder: str
    phrases_file: str
    report_file: str
    created_pack: bool = False
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    removed_by_hand: list[str] = field(default_factory=list)
    not_in_export: list[str] = field(default_factory=list)
    guessed: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    file_notes: list[str] = field(default_factory=list)
    report: str = ""

    def to_dict(self) -> dict:
        return {
            "pack": self.pack,
            "folder": self.folder,
            "phrases_file": self.phrases_file,
            "report_file": self.report_file,
            "created_pack": self.created_pack,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "kept_edits": self.kept_edits,
            "removed_by_hand": self.removed_by_hand,
            "not_in_export": self.not_in_export,
            "guessed": self.guessed,
            "notes": [{"phrase": n.phrase, "where": n.where, "message": n.message} for n in self.notes],
            "skipped": [{"title": s.title, "where": s.where, "reason": s.reason} for s in self.skipped],
            "file_notes": self.file_notes,
        }


def _reader(fmt: str):
    from importlib import import_module

    module = {"zendesk": "zendesk", "csv": "csvfile", "chatwoot": "chatwoot", "espanso": "espanso"}[fmt]
    return import_module(f"{__package__}.{module}")


def digest(item: dict) -> str:
    """A phrase's content as a short hash, to tell later whether someone edited it."""
    from .yamlout import PHRASE_ORDER

    plain = {
        key: list(item[key]) if isinstance(item.get(key), (list, tuple)) else item.get(key)
        for key in PHRASE_ORDER
        if item.get(key) not in (None, "", [], ())
    }
    return hashlib.sha256(json.dumps(plain, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:20]


def _read_state(path: Path) -> dict:
    from ..files import read_user_file

    if not path.exists() and not path.is_symlink():
        return {"phrases": {}}
    raw = read_user_file(path, "the import record")
    try:
        state = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        state = None
    if not isinstance(state, dict) or not isinstance(state.get("phrases"), dict):
        raise PhrasekitError(
            "the record of the last import is not one phrasekit wrote",
            Location(str(path)),
            hint="Move it aside (the next import then treats every phrase in the file as hand-written).",
        )
    return state


def _existing_items(path: Path) -> tuple[list[dict], dict[str, str]]:
    """The phrases of the file an earlier import wrote, as they are now (edits included), and
    the blanks it declares."""
    from ..yamlfile import load_yaml

    if not path.exists():
        return [], {}
    doc = load_yaml(path)
    data = doc.data if isinstance(doc.data, dict) else {}
    items = data.get("phrases") if isinstance(data.get("phrases"), list) else []
    blanks = data.get("blanks") if isinstance(data.get("blanks"), dict) else {}
    items = [item for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]
    return items, {str(k): str(v) for k, v in blanks.items()}


def _convert(canned: Canned, fmt: str, forced: str | None, known_blanks: frozenset[str]):
    """One canned reply as a phrase item, its notes and its own blanks, or the reason it is skipped."""
    from .guess import guess_category, normal_category
    from .placeholders import to_blanks

    converted = to_blanks(canned.text, TOOL_NAMES[fmt], canned.resolve, known_blanks)
    if converted.refused:
        return None, converted.refused, None, None
    text = converted.text.strip()
    from ..blanks import parse

    words = "".join(part for part in parse(text) if isinstance(part, str))
    if not any(char.isalpha() for char in words):
        return None, "it is only blanks to fill, with no words of its own", None, None
    tags = list(dict.fromkeys(tag for tag in canned.tags if tag))
    category, guessed = None, None
    named = normal_category(canned.category) if canned.category else None
    if canned.category and not named and canned.category.strip().lower() not in tags:
        tags.append(canned.category.strip().lower())  # a topic ("Billing"), not a kind of phrase
    if forced:
        category = forced
    elif canned.extra.get("category"):
        category = canned.extra["category"]
    elif named:
        category = named
    else:
        category, cued = guess_category(text)
        guessed = "guessed from the wording; check it" if cued else "nothing in the wording said; check it"
    item = {
        "category": category,
        "title": canned.title or None,
        "source": canned.extra.get("source") or f"{fmt}:{canned.key}",
        "text": text,
        "situations": [s for s in dict.fromkeys(canned.situations) if s],
        "tags": tags,
        "channels": canned.extra.get("channels") or [],
        "tone": canned.extra.get("tone"),
    }
    return item, None, converted, guessed


def import_replies(
    fmt: str,
    files: list[str],
    into: str | Path,
    *,
    name: str | None = None,
    category: str | None = None,
    force: bool = False,
    include_inactive: bool = False,
    prefix: str | None = None,
    source_name: str | None = None,
) -> ImportResult:
    """Import the canned replies of ``files`` (exports in ``fmt``, one of ``FORMATS``) into the
    pack folder ``into``; see the module's docstring. ``source_name`` names the source in the
    pack (its ``phrases/NAME.yaml`` and ``imports/NAME.json``; default: the format), so two
    sources of one format (a Zammad and a Help Scout CSV) live side by side."""
    from ..categories import BUILTIN_CATEGORY_NAMES
    from ..errors import did_you_mean
    from ..validate import NAME_RE

    if fmt not in FORMATS:
        raise PhrasekitError(
            f"unknown format {fmt!r}{did_you_mean(fmt, FORMATS)}", hint=f"Formats: {', '.join(FORMATS)}."
        )
    if not files:
        raise PhrasekitError("no file to import", hint="Give the export's file name (- reads standard input).")
    source_name = source_name or fmt
    if not NAME_RE.match(source_name):
        raise PhrasekitError(
            f"invalid source name {source_name!r}",
            hint="--as names the source: lowercase letters, digits and dashes, e.g. helpscout.",
        )
    folder = Path(into)
    manifest = folder / "pack.yaml"
    if folder.exists() and not folder.is_dir():
        raise PhrasekitError("is not a folder", Location(str(folder)), hint="--into names the pack's folder.")
    pack = None
    if manifest.exists() or manifest.is_symlink():
        from ..packs import read_pack

        pack, findings = read_pack(folder)
        if pack is None:
            raise PhrasekitError(
                "the pack to import into has problems; nothing was written",
                Location(str(manifest)),
                findings=[f for f in findings if not f.soft][:10],
                hint=f"Fix them first (phrasekit packs validate {folder}).",
            )
        if name is not None and name != pack.name:
            raise PhrasekitError(
                f"the pack in {folder} is named {pack.name!r}, not {name!r}",
                Location(str(manifest)),
                hint="Leave out --name to import into it, or give another --into folder.",
            )
        pack_name = pack.name
    else:
        pack_name = name if name is not None else slug(folder.resolve().name)
        if not NAME_RE.match(pack_name or ""):
            raise PhrasekitError(
                f"invalid pack name {pack_name!r}",
                hint="Give one with --name: lowercase letters, digits and dashes, e.g. acme-support.",
            )
    known_categories = set(BUILTIN_CATEGORY_NAMES) | (set(pack.categories) if pack else set())
    if category is not None and category not in known_categories:
        raise PhrasekitError(
            f"unknown category {category!r}{did_you_mean(category, known_categories)}", hint="See phrasekit categories."
        )
    reader = _reader(fmt)
    canned: list[Canned] = []
    result = ImportResult(
        pack_name,
        str(folder),
        str(folder / "phrases" / f"{source_name}.yaml"),
        str(folder / "imports" / f"{source_name}-report.txt"),
        created_pack=pack is None,
    )
    if fmt == "espanso" and prefix is None and pack is not None:
        prefix = pack_prefix(folder)
    pages: list[bool] = []  # for each file: whether the export says another page follows it
    for path in files:
        text, display = read_source(path, reader.WHAT)
        if fmt == "espanso":
            found, skipped, file_notes = reader.read(
                text, display, include_inactive, prefix=reader.PREFIX if prefix is None else prefix
            )
        else:
            found, skipped, file_notes = reader.read(text, display, include_inactive)
        pages.append(any("another follows" in note for note in file_notes))
        for item in found:
            item.where = f"{display}:{item.line}" if item.line else display
        canned += found
        for item in skipped:
            item.where = f"{display}:{item.line}" if item.line else display
        result.skipped += skipped
        result.file_notes += file_notes
    if not all(pages):  # the last page is among the files: the others' "another follows" is answered
        result.file_notes = [note for note in result.file_notes if "another follows" not in note]
    if not canned:
        raise ImportError_(
            "nothing to import: no reply in the file has words for the customer",
            Location(files[0] if files[0] != "-" else "standard input"),
            hint="; ".join(f"{s.title}: {s.reason}" for s in result.skipped[:5]) or None,
        )

    state_path = folder / "imports" / f"{source_name}.json"
    target = Path(result.phrases_file)
    state = _read_state(state_path)
    existing, existing_blanks = _existing_items(target)
    if existing and not state["phrases"] and not force:
        raise PhrasekitError(
            "this file exists and no import wrote it; not replacing it",
            Location(str(target)),
            hint="Give the import another name with --as NAME, or pass --force to merge into it "
            "(its comments are not kept).",
        )
    recorded: dict[str, dict] = state["phrases"]
    keys = _keys(canned)
    if recorded and not force and _another_source(recorded, keys):
        raise PhrasekitError(
            f"this looks like another source than the {fmt} export imported here before: "
            f"{sum(key in recorded for key in keys)} of its {len(keys)} replies were in it",
            Location(str(state_path)),
            hint="Import it beside the other with --as NAME (phrases/NAME.yaml), or pass --force if it is "
            "the same source, renamed.",
        )
    by_id = {item["id"]: item for item in existing}
    here = target.resolve()
    taken = {phrase.id for phrase in (pack.phrases if pack else []) if Path(phrase.source).resolve() != here}
    taken |= set(by_id)
    known_blanks = frozenset(pack.blanks) if pack else frozenset()
    own_blanks: dict[str, str] = {**existing_blanks, **(state.get("blanks") or {})}
    spellings: dict[str, str] = dict(state.get("spellings") or {})
    out_items: list[dict] = []
    origins: dict[str, str] = {}  # phrase id -> where in the export it was read
    comments: dict[str, dict[str, str]] = {}
    new_record: dict[str, dict] = {}
    used_ids: set[str] = set()
    for reply, key in zip(canned, keys, strict=True):
        item, refused, converted, guessed = _convert(reply, fmt, category, known_blanks)
        if item is None:
            result.skipped.append(Skipped(reply.title, reply.line, refused, reply.where))
            continue
        if item["category"] not in known_categories:
            said = item["category"]
            item["category"] = "next-steps"
            guessed = f"the export said {said!r}, not a category here; check it"
        record = recorded.get(key)
        phrase_id = record["id"] if record else None
        if phrase_id is None:
            wanted = reply.extra.get("id") if NAME_RE.match(reply.extra.get("id") or "") else None
            base = wanted or slug(reply.title or "") or slug(reply.key) or f"{fmt}-reply"
            phrase_id, number = base, 2
            while phrase_id in taken or phrase_id in used_ids:
                phrase_id, number = f"{base}-{number}", number + 1
        used_ids.add(phrase_id)
        item = {"id": phrase_id, **item}
        where = reply.where
        for note in [*reply.notes, *converted.notes]:
            result.notes.append(Note(phrase_id, where, note))
        for blank, help_text in converted.blanks.items():
            own_blanks.setdefault(blank, help_text)
        spellings.update(converted.spellings)
        current = by_id.pop(phrase_id, None)
        entry = {"id": phrase_id, "digest": digest(item), "guessed": guessed}
        if record and current is None and not force:
            result.removed_by_hand.append(phrase_id)
            new_record[key] = record
            continue
        if current is not None and record and digest(current) != record["digest"] and not force:
            result.kept_edits.append(phrase_id)
            if digest(item) != record["digest"]:
                result.notes.append(Note(phrase_id, where, "you edited it, and the export changed it too: "
                                         "compare them (--force takes the export's words)"))  # fmt: skip
            if record.get("guessed") and current.get("category") == item["category"]:
                comments[phrase_id] = {"category": record["guessed"]}
            out_items.append(current)
            new_record[key] = record
            continue
        if guessed:
            comments[phrase_id] = {"category": guessed}
            result.guessed[phrase_id] = item["category"]
        if current is None:
            result.new.append(phrase_id)
        elif digest(current) == digest(item):
            result.unchanged.append(phrase_id)
        else:
            result.updated.append(phrase_id)
        out_items.append(item)
        origins[phrase_id] = where
        new_record[key] = entry
    by_recorded_id = {entry["id"]: (k, entry) for k, entry in recorded.items()}
    for phrase_id, item in by_id.items():  # in the file, not in this export
        out_items.append(item)
        if phrase_id in by_recorded_id:
            key, entry = by_recorded_id[phrase_id]
            result.not_in_export.append(phrase_id)
            new_record.setdefault(key, entry)
            if entry.get("guessed") and digest(item) == entry["digest"]:
                comments[phrase_id] = {"category": entry["guessed"]}

    used_blanks = _blanks_used(out_items)
    own_blanks = {blank: help_text for blank, help_text in own_blanks.items() if blank in used_blanks}
    own_blanks = {blank: help_text for blank, help_text in own_blanks.items() if blank not in known_blanks
                  or blank in existing_blanks}  # fmt: skip
    phrases_text = _phrases_file(fmt, pack_name, out_items, comments, own_blanks)
    manifest_text = _manifest(pack_name, fmt) if pack is None else None
    _validate(folder, target, phrases_text, manifest_text, origins)

    from ..files import write_atomic

    if manifest_text is not None:
        write_atomic(manifest, manifest_text)
    write_atomic(target, phrases_text, force=True)
    new_state = {"format": fmt, "phrases": new_record, "blanks": own_blanks,
                 "spellings": {b: s for b, s in spellings.items() if b in own_blanks}}  # fmt: skip
    result.report = report_text(result, _command(fmt, files, folder, name, category, force, include_inactive,
                                                 prefix, source_name))  # fmt: skip
    write_atomic(state_path, json.dumps(new_state, indent=1, ensure_ascii=False) + "\n", force=True)
    write_atomic(Path(result.report_file), result.report, force=True)
    return result


def _keys(canned: list[Canned]) -> list[str]:
    """Each reply's key in its source, made unique (two CSV rows titled alike)."""
    seen: set[str] = set()
    keys = []
    for reply in canned:
        key, number = reply.key, 2
        while key in seen:
            key, number = f"{reply.key}#{number}", number + 1
        seen.add(key)
        keys.append(key)
    return keys


def _another_source(recorded: dict, keys: list[str]) -> bool:
    """Whether an export shares too little with the one imported before to be the same source:
    fewer than half of its replies were there, and fewer than half of those are here."""
    shared = sum(key in recorded for key in keys)
    return shared * 2 < len(keys) and shared * 2 < len(recorded)


def _command(fmt, files, folder, name, category, force, include_inactive, prefix, source_name) -> str:
    """The import as a command line, for the report's first line."""
    import shlex

    words = ["phrasekit", "import", fmt, *files, "--into", str(folder)]
    for option, value in (("--name", name), ("--category", category), ("--prefix", prefix)):
        if value is not None:
            words += [option, value]
    if source_name != fmt:
        words += ["--as", source_name]
    words += ["--include-inactive"] * include_inactive + ["--force"] * force
    return shlex.join(words)


def pack_prefix(folder: Path) -> str | None:
    """The pack's own ``trigger_prefix`` (how its espanso triggers start), if it sets one."""
    from ..validate import check_pack_file
    from ..yamlfile import load_yaml

    header, _ = check_pack_file(load_yaml(folder / "pack.yaml"))
    return header.get("trigger_prefix")


def _blanks_used(items: list[dict]) -> set[str]:
    from ..blanks import names

    return {name for item in items if isinstance(item.get("text"), str) for name in names(item["text"])}


def _phrases_file(fmt: str, pack: str, items: list[dict], comments: dict[str, dict[str, str]],
                  blanks: dict[str, str]) -> str:  # fmt: skip
    from .yamlout import phrase_lines, quoted

    lines = [
        f"# Imported by 'phrasekit import {fmt}' into the pack {pack}.",
        "# Edit freely: a re-import of the same export keeps a phrase you changed (--force takes the",
        "# export's words) and updates the others. Comments in this file are not kept.",
    ]
    if blanks:
        lines.append("blanks:  # details the imported replies leave to fill in (they count for this file)")
        lines += [f"  {blank}: {quoted(help_text)}" for blank, help_text in sorted(blanks.items())]
    lines.append("phrases:" if items else "phrases: []")
    for item in items:
        lines += phrase_lines(item, comments.get(item["id"]))
    return "\n".join(lines) + "\n"


def _manifest(pack: str, fmt: str) -> str:
    from .yamlout import quoted

    lines = [
        f"# A phrasekit pack made by 'phrasekit import {fmt}'. Reference: docs/packs.md",
        f"name: {pack}",
        f"title: {quoted(f'{pack} replies')}",
        f"description: {quoted(f'Canned replies imported from {TOOL_NAMES[fmt]}')}",
    ]
    return "\n".join(lines) + "\n"


def _validate(
    folder: Path, target: Path, phrases_text: str, manifest_text: str | None, origins: dict[str, str]
) -> None:
    """Read the pack as it would be after the import, in a scratch copy; raise with every
    problem before anything is written, each named where the user can fix it: a reply's at its
    place in the export, the pack's own files as they are."""
    import shutil
    import tempfile

    from ..packs import read_pack

    scratch = Path(tempfile.mkdtemp(prefix="phrasekit-import-"))
    try:
        copy = scratch / "pack"
        copy.mkdir()
        if (folder / "pack.yaml").is_file() and manifest_text is None:
            shutil.copyfile(folder / "pack.yaml", copy / "pack.yaml")
        else:
            (copy / "pack.yaml").write_text(manifest_text or "", encoding="utf-8")
        phrases = folder / "phrases"
        if phrases.is_dir():
            shutil.copytree(phrases, copy / "phrases", symlinks=True)
        relative = target.relative_to(folder)
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        (copy / relative).write_text(phrases_text, encoding="utf-8")
        _, findings = read_pack(copy)
        hard = [finding for finding in findings if not finding.soft]
        if hard:
            from ..errors import Finding

            starts = [number for number, line in enumerate(phrases_text.splitlines(), 1) if line.startswith("  - id: ")]
            ids = [
                line.split(": ", 1)[1].strip('"') for line in phrases_text.splitlines() if line.startswith("  - id: ")
            ]

            def real(finding: Finding) -> Finding:
                where = finding.location
                if where.path == str(copy / relative) and where.line is not None:
                    at = max((n for n, start in enumerate(starts) if start <= where.line), default=None)
                    phrase = ids[at] if at is not None else None
                    if phrase in origins:
                        source = origins[phrase].rsplit(":", 1)
                        line = int(source[1]) if len(source) == 2 and source[1].isdigit() else None
                        return Finding(Location(source[0], line), f"{phrase}: {finding.message}")
                path = where.path.replace(str(copy), str(folder), 1)
                return Finding(Location(path, where.line, where.column), finding.message)

            raise PhrasekitError(
                "the imported pack would not validate; nothing was written",
                Location(str(folder)),
                findings=[real(f) for f in hard[:10]],
                hint="Fix what is named above in the export or the pack, then import again.",
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def report_text(result: ImportResult, command: str) -> str:
    """What the import did and what a lead should look at, as plain text (its first line the
    command that did it)."""
    lines = [
        command,
        f"pack {result.pack}: {len(result.new)} new, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged, {len(result.kept_edits)} kept as you edited them, "
        f"{len(result.skipped)} skipped",
    ]
    sections = (
        ("About the export:", result.file_notes),
        ("Check these before reps use them:", [f"{n.phrase} ({n.where}): {n.message}" for n in result.notes]),
        (f"Categories guessed from the wording (change them in {result.phrases_file} if wrong):",
         [f"{phrase}: {category}" for phrase, category in result.guessed.items()]),
        ("Updated from the export:", result.updated),
        ("Kept as you edited them (--force takes the export's words instead):", result.kept_edits),
        ("Removed from the pack by hand, so not added again (--force brings them back):", result.removed_by_hand),
        ("In the pack but no longer in the export (kept; delete them by hand if they are retired):",
         result.not_in_export),
        ("Skipped:", [s.title + (f" ({s.where})" if s.where else "") + f": {s.reason}" for s in result.skipped]),
    )  # fmt: skip
    for heading, entries in sections:
        if entries:
            lines += ["", heading] + [f"  {entry}" for entry in entries]
    return "\n".join(lines) + "\n"
