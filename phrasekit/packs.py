"""Finding and loading phrase packs.

Packs are found in this order, and a later pack replaces an earlier one of the same name:

1. the built-in bank (``builtin``),
2. user packs in ``<config folder>/packs/``,
3. each folder in ``PHRASEKIT_PATH`` (``os.pathsep``-separated),
4. each ``--path DIR``, in the order given,
5. packs installed as Python packages (entry-point group ``phrasekit.packs``).

A folder in 2-4 may be a pack itself (it holds ``pack.yaml``) or hold packs one level down.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from .categories import BUILTIN_CATEGORIES
from .errors import Finding, Location, NotFoundError, PackError, PhrasekitError
from .files import shown
from .folders import builtin_pack_dir, builtin_templates_dir, config_dir
from .model import Category, Family, Pack, Phrase

if TYPE_CHECKING:
    from pathlib import Path

ENTRY_POINT_GROUP = "phrasekit.packs"
BUILTIN_NAME = "builtin"


class PackSource(NamedTuple):
    path: Path
    origin: str


class PackSet:
    """The packs in force, after shadowing, and the problems met while loading them."""

    def __init__(self, packs: list[Pack] | None = None, problems: list[PhrasekitError] | None = None) -> None:
        self.packs = packs if packs is not None else []
        self.problems = problems if problems is not None else []

    @property
    def phrases(self) -> list[Phrase]:
        return [phrase for pack in self.packs for phrase in pack.phrases]

    def categories(self) -> list[Category]:
        found = {category.name: category for category in BUILTIN_CATEGORIES}
        for pack in self.packs:
            for name, category in pack.categories.items():
                found.setdefault(name, category)
        return list(found.values())

    def families(self) -> dict[str, Family]:
        """Every pack's families by name; a family declared by two packs is one family, with the
        situations of both (sensitive when either says so)."""
        found: dict[str, Family] = {}
        for pack in self.packs:
            for name, family in pack.families.items():
                earlier = found.get(name)
                if earlier is None:
                    found[name] = family
                else:
                    found[name] = earlier._replace(
                        situations=tuple(dict.fromkeys(earlier.situations + family.situations)),
                        sensitive=earlier.sensitive or family.sensitive,
                    )
        return found

    def synonyms(self) -> dict[str, tuple[str, ...]]:
        merged: dict[str, tuple[str, ...]] = {}
        for pack in self.packs:
            for head, words in pack.synonyms.items():
                merged[head] = merged.get(head, ()) + tuple(words)
        return merged

    def pack(self, name: str) -> Pack | None:
        return next((pack for pack in self.packs if pack.name == name), None)


def template_folders(sources) -> list[tuple[Path, str]]:
    """Where templates are found, in order (a later one replaces an earlier one of the same
    name): the built-in folder, then each pack's ``templates/``; (folder, pack name or None for
    a source whose name is not known yet)."""
    from pathlib import Path

    folders = [(builtin_templates_dir(), "builtin")]
    folders += [(Path(source.path) / "templates", getattr(source, "name", None))
                for source in sources if source.origin != "builtin"]  # fmt: skip
    return folders


def template_files(sources) -> list[Path]:
    """The template folders and files of the packs in force, as real paths (for the index's
    fingerprint, which any spelling of a folder must read alike)."""
    from pathlib import Path

    found = []
    for folder, _ in template_folders(sources):
        folder = Path(os.path.realpath(folder))
        found.append(folder)
        if folder.is_dir():
            found += sorted(path for path in folder.glob("*.jinja") if decodable(path))
    return found


def decodable(path: str | os.PathLike) -> bool:
    """A file name phrasekit can show and store: valid UTF-8 (the system hands others over
    with stand-in characters that no terminal, JSON or SQLite text takes)."""
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_folder(folder: Path) -> bool:
    """A folder that can be read (a name too long for the system is not one)."""
    try:
        return folder.is_dir()
    except OSError:
        return False


def _not_a_folder(folder: Path) -> str:
    """Why ``folder`` (which is not a folder phrasekit can read) cannot be used, for a message."""
    import errno

    try:
        os.stat(folder)
    except OSError as error:
        return (
            "that does not exist"
            if error.errno in (errno.ENOENT, errno.ENOTDIR)
            else f"that cannot be used ({error.strerror})"
        )
    return "that is a file, not a folder"


def _packs_in(folder: Path) -> list[Path]:
    try:
        if (folder / "pack.yaml").is_file():
            return [folder]
    except OSError:
        return []
    if not _is_folder(folder):
        return []
    return sorted(child for child in folder.iterdir() if decodable(child) and (child / "pack.yaml").is_file())


def _misnamed_packs(folder: Path) -> list[PhrasekitError]:
    """Pack folders under ``folder`` whose names are not valid UTF-8: left out, and said."""
    if not _is_folder(folder) or (folder / "pack.yaml").is_file():
        return []
    return [
        PhrasekitError("folder name is not valid UTF-8; rename it to load this pack", Location(shown(child)))
        for child in sorted(folder.iterdir())
        if not decodable(child) and (child / "pack.yaml").is_file()
    ]


def _entry_point_dirs() -> list[tuple[Path | None, str]]:
    from importlib.metadata import entry_points
    from importlib.util import find_spec
    from pathlib import Path

    found = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        module = entry.value.split(":", 1)[0].strip()
        try:
            spec = find_spec(module)
        except (ImportError, ValueError):
            spec = None
        locations = list(spec.submodule_search_locations or []) if spec else []
        found.append((Path(locations[0]) if locations else None, f"{entry.name} = {entry.value}"))
    return found


def discover_packs(
    extra_paths: Sequence[str | os.PathLike] = (),
    entry_points: list[tuple[Path | None, str]] | None = None,
) -> tuple[list[PackSource], list[PhrasekitError], list[tuple[Path | None, str]]]:
    """Every pack folder in precedence order (lowest first), problems with the search path, and
    the installed packs' folders (pass them back in to skip reading the installed distributions)."""
    from pathlib import Path

    sources = [PackSource(builtin_pack_dir(), "builtin")]
    problems: list[PhrasekitError] = []
    sources += [PackSource(path, "user") for path in _packs_in(config_dir() / "packs")]
    problems += _misnamed_packs(config_dir() / "packs")
    for entry in filter(None, os.environ.get("PHRASEKIT_PATH", "").split(os.pathsep)):
        folder = Path(entry).expanduser()
        if not decodable(folder):
            problems.append(PhrasekitError("PHRASEKIT_PATH names a folder whose name is not valid UTF-8; rename it",
                                           Location(shown(folder))))  # fmt: skip
            continue
        if not _is_folder(folder):
            problems.append(PhrasekitError(f"PHRASEKIT_PATH names a folder {_not_a_folder(folder)}",
                                           Location(str(folder))))  # fmt: skip
            continue
        sources += [PackSource(path, "PHRASEKIT_PATH") for path in _packs_in(folder)]
        problems += _misnamed_packs(folder)
    for entry in extra_paths:
        folder = Path(entry).expanduser()
        if not decodable(folder):
            problems.append(PhrasekitError("--path names a folder whose name is not valid UTF-8; rename it",
                                           Location(shown(folder))))  # fmt: skip
            continue
        packs = _packs_in(folder)
        if not packs:
            problems.append(
                PhrasekitError("--path holds no pack (no pack.yaml in it or its subfolders)", Location(str(folder)))
            )
        sources += [PackSource(path, "--path") for path in packs]
        problems += _misnamed_packs(folder)
    if entry_points is None:
        entry_points = _entry_point_dirs()
    for folder, label in entry_points:
        if folder is None or not (folder / "pack.yaml").is_file():
            problems.append(PhrasekitError(f"installed pack '{label}' has no pack.yaml in its package"))
            continue
        sources.append(PackSource(folder, "entry point"))
    return sources, problems, entry_points


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def phrase_files(folder: Path, builtin: bool) -> list[Path]:
    """The files that hold a pack's phrases besides pack.yaml: ``phrases/`` and its subfolders
    (for the built-in bank, its own folder and subfolders)."""
    root = folder if builtin else folder / "phrases"
    found = (path for path in root.glob("**/*.yaml") if not (builtin and path == folder / "pack.yaml"))
    return sorted(path for path in found if decodable(path))


def misnamed_phrase_files(folder: Path, builtin: bool) -> list[Path]:
    """The phrases files ``phrase_files`` leaves out: names that are not valid UTF-8."""
    root = folder if builtin else folder / "phrases"
    return sorted(path for path in root.glob("**/*.yaml") if not decodable(path))


def phrase_from_item(item: dict, pack: str, source: str) -> Phrase:
    """A checked phrase (``validate.check_phrases``'s item) of ``pack``, read from ``source``."""
    return Phrase(id=item["id"], pack=pack, category=item["category"], text=item["text"],
                  situations=item["situations"], tags=item["tags"], channels=item["channels"], tone=item["tone"],
                  source=source, line=item["line"], family=item["family"])  # fmt: skip


def file_record(stamp: str, pack_stamp: str, family: dict | None, items: list[dict], blanks: dict | None = None) -> str:
    """One phrases file's checked content as JSON, valid while the file and its pack.yaml keep
    these stamps."""
    import json

    def plain(item: dict) -> dict:
        where = item["family_at"]
        return {**item, "family_at": [where.path, where.line, where.column] if where else None}

    record = {"stamp": stamp, "pack": pack_stamp, "family": family, "items": [plain(i) for i in items]}
    if blanks:
        record["blanks"] = blanks
    return json.dumps(record)


def _reuse(record: str | None, stamp: str, pack_stamp: str) -> tuple[dict | None, list[dict], dict] | None:
    """The family, items and own blanks of an unchanged phrases file, or ``None``."""
    if record is None:
        return None
    import json

    data = json.loads(record)
    if data["stamp"] != stamp or data["pack"] != pack_stamp:
        return None
    family = data["family"]
    if family is not None:
        family["situations"] = tuple(family["situations"])
    for item in data["items"]:
        for key in ("situations", "tags", "channels"):
            item[key] = tuple(item[key])
        if item["family_at"] is not None:
            item["family_at"] = Location(*item["family_at"])
    return family, data["items"], data.get("blanks") or {}


def read_pack(
    folder: Path | str, origin: str = "--path", known: dict[str, str] | None = None
) -> tuple[Pack | None, list[Finding]]:
    """Read and check one pack folder (or its ``pack.yaml``); returns the pack and every finding.

    A pack whose only findings are soft (an unknown blank, still shown as ``[name]``) loads.
    Files are read quickly first (``yamlfile.quick_load_yaml``: no places kept but a phrase's
    line), and a phrases file that ``known`` (path -> ``file_record``, from the last index)
    holds unchanged is not read at all; a pack with any finding is read again keeping every
    place, so each finding points at its line and column."""
    pack, findings, quick = _read_pack(folder, origin, True, known or {})
    if findings and quick:
        pack, findings, _ = _read_pack(folder, origin, False, {})
    return pack, findings


def _read_pack(
    folder: Path | str, origin: str, quick: bool, known: dict[str, str]
) -> tuple[Pack | None, list[Finding], bool]:
    """``read_pack``, and whether any file was read the quick way (or not read)."""
    from pathlib import Path

    from .validate import check_pack_file, check_phrase_file, check_phrases, unknown_families
    from .yamlfile import YamlFileError, load_yaml, quick_load_yaml

    read_quickly = False

    def read(path: Path):
        nonlocal read_quickly
        doc = quick_load_yaml(path) if quick else None
        if doc is not None:
            read_quickly = True
            return doc
        return load_yaml(path)

    folder = Path(folder)
    if folder.name == "pack.yaml" and folder.is_file():
        folder = folder.parent
    manifest = folder / "pack.yaml"
    if manifest.is_file() and not _inside(manifest, folder):
        message = "pack.yaml points outside its pack; refused (copy the file into the pack instead of linking it)"
        return None, [Finding(Location(str(manifest)), message)], False
    if not manifest.is_file():
        where = Location(str(folder))
        return (
            None,
            [Finding(where, "not a pack: no pack.yaml here (create one with 'phrasekit packs new NAME')")],
            False,
        )
    findings: list[Finding] = []
    seen_ids: dict[str, str] = {}
    phrases: list[Phrase] = []
    family_refs: list[dict] = []  # phrases naming a family, checked once every file is read

    def take(source: str, items: list[dict]) -> None:
        """Keep a file's checked phrases as ``Phrase``s at once, so a big pack is held only once."""
        family_refs.extend(item for item in items if item["family_at"] is not None)
        phrases.extend(phrase_from_item(item, header["name"], source) for item in items)

    try:
        doc = read(manifest)
    except YamlFileError as exc:
        # Keep going: the phrase files' problems are reported in the same run.
        findings += list(exc.findings) or [Finding(exc.location, exc.message)]
        header = {"name": None, "synonyms": {}, "categories": {}, "avoid": [], "blanks": {}, "families": {}}
    else:
        header, problems = check_pack_file(doc)
        findings += problems
        raw_phrases, problems = check_phrases(doc, ("phrases",), header["categories"], seen_ids, header["blanks"])
        findings += problems
        take(str(manifest), raw_phrases)
        del doc, raw_phrases
    builtin = origin == "builtin" or folder.resolve() == builtin_pack_dir().resolve()
    from .index import file_stamp

    pack_stamp = file_stamp(manifest)
    records: dict[str, str] = {}
    for path in phrase_files(folder, builtin):
        if not _inside(path, folder):
            findings.append(Finding(Location(str(path)), "points outside its pack; refused"))
            continue
        stamp = file_stamp(path)
        reused = _reuse(known.get(str(path)), stamp, pack_stamp) if quick else None
        if reused is not None:
            family, more, own_blanks = reused
            if (family is None or family["name"] not in header["families"]) and not any(
                item["id"] in seen_ids for item in more
            ):
                read_quickly = True
                if family is not None:
                    header["families"][family["name"]] = family
                header.setdefault("file_blanks", {}).update(own_blanks)
                for item in more:
                    seen_ids[item["id"]] = f"{path}:{item['line']}"
                take(str(path), more)
                records[str(path)] = known[str(path)]
                continue
        try:
            part = read(path)
        except YamlFileError as exc:
            findings += list(exc.findings) or [Finding(exc.location, exc.message)]
            continue
        findings += part.findings
        declared = set(header["families"])
        blanks_before = dict(header.get("file_blanks") or {})
        more, problems = check_phrase_file(part, header, seen_ids)
        findings += problems
        take(str(path), more)
        if not part.findings and not problems:
            family = next((header["families"][name] for name in header["families"] if name not in declared), None)
            own_blanks = {k: v for k, v in (header.get("file_blanks") or {}).items() if k not in blanks_before}
            records[str(path)] = file_record(stamp, pack_stamp, family, more, own_blanks)
    for path in misnamed_phrase_files(folder, builtin):
        message = "file name is not valid UTF-8; rename it (its phrases are left out until then)"
        findings.append(Finding(Location(shown(path)), message, soft=True))
    findings += unknown_families(family_refs, header["families"])
    if any(not finding.soft for finding in findings) or header.get("name") is None:
        return None, findings, read_quickly
    name = header["name"]
    pack = Pack(
        name=name,
        path=str(folder),
        origin=origin,
        title=header.get("title") or "",
        version=header.get("version") or "",
        locale=header.get("locale") or "en",
        description=header.get("description") or "",
        synonyms=dict(header["synonyms"]),
        avoid=list(header["avoid"]),
        categories={
            cat: Category(cat, description, guidance, step, name)
            for cat, (description, guidance, step) in header["categories"].items()
        },
        blanks={**header.get("file_blanks", {}), **header["blanks"]},
        families={family_name: Family(pack=name, **spec) for family_name, spec in header["families"].items()},
    )
    pack.phrases = phrases
    pack.file_records = records if not findings else {}
    return pack, findings, read_quickly


def load_pack(folder: Path | str, origin: str = "--path", known: dict[str, str] | None = None) -> Pack:
    """Load one pack or raise ``PackError`` listing every problem in it (``known``: see
    ``read_pack``)."""
    pack, findings = read_pack(folder, origin, known)
    if pack is not None:
        pack.findings = findings
    if pack is None:
        raise PackError(
            f"pack has {len(findings)} problem(s)",
            Location(str(folder)),
            findings=sorted(findings, key=lambda finding: finding.soft),  # what refused it first
            hint="Fix them and check with 'phrasekit packs validate PATH'.",
        )
    return pack


def load_sources(
    sources: Iterable[PackSource], problems: Sequence[PhrasekitError] = (), known: dict[str, str] | None = None
) -> PackSet:
    """Load discovered packs, later ones shadowing earlier ones of the same name; ``known``
    holds the phrases files read for the last index (see ``read_pack``).

    A broken pack is skipped and reported in ``problems``."""
    result = PackSet(problems=list(problems))
    by_name: dict[str, Pack] = {}
    for source in sources:
        try:
            pack = load_pack(source.path, source.origin, known)
        except PackError as exc:
            result.problems.append(exc)
            continue
        if pack.findings:
            result.problems.append(
                PhrasekitError(
                    f"{len(pack.findings)} problem(s) that do not stop it loading; first: {pack.findings[0]} "
                    f"(check it with 'phrasekit packs validate {source.path}')",
                    Location(str(source.path)),
                )
            )
        earlier = by_name.get(pack.name)
        if earlier is not None:
            pack.shadows = earlier.shadows + [f"{earlier.origin}: {earlier.path}"]
        by_name[pack.name] = pack
    result.packs = list(by_name.values())
    return result


def load_packs(extra_paths: Iterable[str | os.PathLike] = ()) -> PackSet:
    """Load every pack in force (parsing their YAML)."""
    sources, problems, _ = discover_packs(list(extra_paths))
    return load_sources(sources, problems)


def resolve_id(ids: Sequence[tuple[str, str]], phrase_id: str) -> int:
    """Which of ``ids`` (pack, short id) ``phrase_id`` names: a full id ``pack/id``, or a short id
    that only one pack uses. Raises ``NotFoundError`` (with close ids) or an ambiguity error."""
    full = [f"{pack}/{short}" for pack, short in ids]
    if phrase_id in full:
        return full.index(phrase_id)
    matches = [number for number, (_, short) in enumerate(ids) if short == phrase_id]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise PhrasekitError(
            f"{phrase_id!r} is in several packs: {', '.join(full[n] for n in matches)}; give the full id"
        )
    from difflib import get_close_matches

    close = get_close_matches(phrase_id, [short for _, short in ids] + full, n=3, cutoff=0.6)
    hint = f"Did you mean: {', '.join(close)}?" if close else "Find ids with 'phrasekit search'."
    raise NotFoundError(f"no phrase with id {phrase_id!r}", hint=hint)


def find_phrase(phrases: Iterable[Phrase], phrase_id: str) -> Phrase:
    """A phrase by full id (``pack/id``) or by a short id that only one pack uses."""
    phrases = list(phrases)
    return phrases[resolve_id([(phrase.pack, phrase.id) for phrase in phrases], phrase_id)]


class PackReport(NamedTuple):
    """What ``validate_packs`` found in one pack folder: the pack (``None`` when it cannot load)
    and every finding, as ``FILE:LINE:COLUMN: message``."""

    path: str
    pack: Pack | None
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict:
        return {
            "path": self.path, "ok": self.ok, "name": self.pack.name if self.pack else None,
            "phrases": len(self.pack.phrases) if self.pack else 0,
            "families": len(self.pack.families) if self.pack else 0,
            "findings": [f.to_dict() for f in self.findings],
        }  # fmt: skip


def validate_packs(paths: Iterable[str | Path], *, strict: bool = False) -> list[PackReport]:
    """Check each pack folder and report every problem (reading the files, as it must); with
    ``strict`` the phrases are also held to the practice (see ``practice.pack_findings``)."""
    reports = []
    for path in paths:
        pack, findings = read_pack(path)
        findings = findings + template_findings(path, pack.name if pack else None)
        if pack is not None and strict:
            from .practice import pack_findings

            findings = findings + pack_findings(pack)
        reports.append(PackReport(str(path), pack, findings))
    return reports


def template_findings(path: str | Path, pack: str | None) -> list[Finding]:
    """Every problem in the follow-up templates a pack folder ships (``templates/*.jinja``)."""
    from pathlib import Path

    from .render import TemplateError, read_template

    folder = Path(path)
    if folder.name == "pack.yaml":
        folder = folder.parent
    findings: list[Finding] = []
    for file in sorted(p for p in (folder / "templates").glob("*.jinja") if decodable(p)):
        try:
            findings += read_template(file, pack or "", root=folder).findings
        except TemplateError as error:
            findings += error.findings or [Finding(error.location or Location(str(file)), error.message)]
    return findings
