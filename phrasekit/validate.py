"""Pack format v1 rules: turn parsed pack files into findings, every problem at once."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .categories import BUILTIN_CATEGORY_NAMES, STEPS
from .channels import NAMES as CHANNELS
from .errors import Finding, Location, did_you_mean
from .model import TONES
from .yamlfile import YamlDocument

NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: "$" would let a name end in a line break

PACK_KEYS = (
    "name", "title", "version", "locale", "description", "synonyms", "categories", "blanks", "families",
    "phrases", "avoid", "trigger_prefix",
)  # fmt: skip
AVOID_KEYS = ("id", "pattern", "reason", "suggest", "unless")
PHRASE_KEYS = ("id", "category", "text", "family", "situations", "tags", "channels", "tone", "title", "source")
CATEGORY_KEYS = ("description", "guidance", "step")
FAMILY_KEYS = ("name", "title", "sector", "situations", "sensitive", "fault")
FAULTS = ("unknown", "ours")
PHRASE_FILE_KEYS = ("family", "blanks", "phrases")


def _type_name(value: object) -> str:
    if value is None:
        return "nothing"
    return {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


class _Checker:
    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.findings: list[Finding] = []

    def add(self, path: tuple, message: str, key: bool = False, soft: bool = False) -> None:
        self.findings.append(Finding(self.doc.location(path, key=key), message, soft))

    def unknown_keys(self, mapping: dict, path: tuple, allowed: tuple, what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.add(
                    path + (key,),
                    f"unknown key {key!r} in {what}{did_you_mean(key, allowed)} (allowed: {', '.join(allowed)})",
                    key=True,
                )

    def string(self, mapping: dict, key: str, path: tuple, required: bool = False) -> str | None:
        if key not in mapping or mapping[key] is None:
            if required:
                self.add(path, f"missing required key {key!r}", key=True)
            return None
        value = mapping[key]
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(path + (key,), f"{key!r} must be a string, not {_type_name(value)}")
            return None
        return str(value)

    def string_list(self, mapping: dict, key: str, path: tuple) -> list[str]:
        value = mapping.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list):
            self.add(path + (key,), f"{key!r} must be a list of strings, not {_type_name(value)}")
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                self.add(path + (key, index), f"each entry of {key!r} must be a string, not {_type_name(item)}")
            else:
                items.append(str(item))
        return items


def _quoted_escapes(text: str) -> list[tuple[int, str, str]]:
    """(offset, character, as written) for each escape (``\\e``, ``\\x1b``, ``\\u202e``) in a
    double-quoted YAML string that stands for a character ``visible`` would show."""
    import yaml

    if not any(_escaped(escape) for escape in _ESCAPE_RE.finditer(text)):
        return []  # the common case: no need to read the file's strings
    try:
        tokens = list(yaml.scan(text, Loader=yaml.SafeLoader))  # the pure reader: its places count characters
    except yaml.YAMLError:
        return []
    found = []
    for token in tokens:
        if not isinstance(token, yaml.ScalarToken) or token.style != '"':
            continue
        for escape in _ESCAPE_RE.finditer(text, token.start_mark.index, token.end_mark.index):
            char = _escaped(escape)
            if char is not None:
                found.append((escape.start(), char, escape.group()))
    return found


def _escaped(escape: re.Match) -> str | None:
    """The character a YAML escape stands for, when ``visible`` would show it."""
    from .visible import hidden

    code = escape.group(1)
    try:
        char = _YAML_ESCAPES.get(code) if len(code) == 1 else chr(int(code[1:], 16))
    except (ValueError, OverflowError):  # \UFFFFFFFF is no character
        return None
    return char if char is not None and any(hidden(char)) else None


_ESCAPE_RE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_YAML_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b",
                 "N": "\x85", "L": "\u2028", "P": "\u2029"}  # fmt: skip


def character_findings(text: str, display: str, yaml_text: bool = False, raw: bool = True) -> list[Finding]:
    """Each character in a pack's file that the terminal would act on or that hides itself, at
    its line and column, named (``U+202E RIGHT-TO-LEFT OVERRIDE``); in YAML (``yaml_text``) also
    those its double-quoted strings write as escapes (``"\\e]52;c;...\\a"``); only those
    without ``raw``.

    A control character, a bidi embedding, override or isolate, or a line or paragraph
    separator refuses the pack: no customer-facing text needs one, and each can hide or reorder
    what a rep reads or sends. Other invisible characters (a zero-width space, a bidi mark that
    right-to-left text may need) are reported but the pack loads, and they are shown as
    ``<U+200B>`` wherever phrasekit prints them."""
    from .visible import BIDI_CONTROLS, breaks_text, describe, hidden, is_control, shown

    spots = [(offset, char, "") for offset, char in hidden(text)] if raw else []
    if yaml_text and "\\" in text:
        spots += _quoted_escapes(text)
    findings = []
    for offset, char, written in sorted(spots):
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        how = f"written {written}" if written else f"shown as {shown(char)}"
        if breaks_text(char):
            kind = ("a control character, which a terminal acts on" if is_control(char)
                    else "a bidi control, which reorders the text around it" if char in BIDI_CONTROLS
                    else "a line or paragraph separator, which splits the line")  # fmt: skip
            message = f"{describe(char)} ({how}): {kind}; remove it"
        else:
            message = f"{describe(char)} ({how}): an invisible character; remove it unless the text needs it"
        findings.append(Finding(Location(display, line, column), message, soft=not breaks_text(char)))
    return findings


def check_pack_file(doc: YamlDocument) -> tuple[dict, list[Finding]]:
    """Check the top of ``pack.yaml``; returns the usable header fields and findings."""
    checker = _Checker(doc)
    checker.findings.extend(doc.findings)
    checker.findings.extend(character_findings(doc.source, doc.path, yaml_text=True))
    data = doc.data
    header: dict = {"synonyms": {}, "categories": {}, "avoid": [], "blanks": {}, "families": {}}
    if data is None:
        checker.add((), "pack.yaml is empty; it needs at least 'name:' (run 'phrasekit packs new' for a starter)")
        return header, checker.findings
    if not isinstance(data, dict):
        checker.add((), f"pack.yaml must be a mapping of keys, not {_type_name(data)}")
        return header, checker.findings
    checker.unknown_keys(data, (), PACK_KEYS, "pack.yaml")
    name = checker.string(data, "name", (), required=True)
    if name is not None and not NAME_RE.match(name):
        checker.add(
            ("name",), f"invalid pack name {name!r}: use lowercase letters, digits and dashes (e.g. acme-support)"
        )
    header["name"] = name if name and NAME_RE.match(name) else None
    for key in ("title", "version", "locale", "description"):
        header[key] = checker.string(data, key, ())
    prefix = checker.string(data, "trigger_prefix", ())
    if prefix is not None and (not prefix or len(prefix) > 20 or any(ch.isspace() for ch in prefix)):
        checker.add(("trigger_prefix",), "'trigger_prefix' is how each espanso trigger starts (e.g. ':acme-'): "
                    "1 to 20 characters, no spaces")  # fmt: skip
    elif prefix is not None:
        header["trigger_prefix"] = prefix
    synonyms = data.get("synonyms")
    if synonyms is not None:
        if not isinstance(synonyms, dict):
            checker.add(
                ("synonyms",), f"'synonyms' must be a mapping of word -> list of words, not {_type_name(synonyms)}"
            )
        else:
            for word in synonyms:
                words = checker.string_list(synonyms, word, ("synonyms",))
                header["synonyms"][str(word)] = tuple(words)
    categories = data.get("categories")
    if categories is not None:
        if not isinstance(categories, dict):
            checker.add(
                ("categories",), f"'categories' must be a mapping of name -> description, not {_type_name(categories)}"
            )
        else:
            for cat, value in categories.items():
                path = ("categories", cat)
                if not isinstance(cat, str) or not NAME_RE.match(cat):
                    checker.add(
                        path, f"invalid category name {cat!r}: use lowercase letters, digits and dashes", key=True
                    )
                    continue
                if isinstance(value, dict):
                    checker.unknown_keys(value, path, CATEGORY_KEYS, f"category {cat!r}")
                    description = checker.string(value, "description", path, required=True) or ""
                    guidance = checker.string(value, "guidance", path) or ""
                    step = value.get("step")
                    bad = isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= len(STEPS)
                    if step is not None and bad:
                        checker.add(path + ("step",), f"'step' must be a whole number from 1 to {len(STEPS)}")
                        step = None
                    header["categories"][cat] = (description, guidance, step)
                elif isinstance(value, str):
                    header["categories"][cat] = (value, "", None)
                else:
                    checker.add(
                        path, f"category {cat!r} needs a one-line description (a string), not {_type_name(value)}"
                    )
    _check_avoid(checker, data.get("avoid"), header)
    header["blanks"] = _check_blanks(checker, data.get("blanks"))
    families = data.get("families")
    if families is not None:
        if not isinstance(families, dict):
            checker.add(("families",), f"'families' must be a mapping of name -> family, not {_type_name(families)}")
        else:
            for name, spec in families.items():
                family = check_family(checker, spec, ("families", name), name=name)
                if family is not None:
                    header["families"][family["name"]] = family
    return header, checker.findings


def _check_blanks(checker: _Checker, blanks: object) -> dict[str, str]:
    """A pack's own blanks (``blanks: {plan_name: "The plan's name"}``), beside the standard ones."""
    from .blanks import BLANK_NAME_RE, STANDARD

    declared: dict[str, str] = {}
    if blanks is None:
        return declared
    if not isinstance(blanks, dict):
        checker.add(("blanks",), f"'blanks' must be a mapping of name -> help text, not {_type_name(blanks)}")
        return declared
    for name, help_text in blanks.items():
        where = ("blanks", name)
        if not isinstance(name, str) or not BLANK_NAME_RE.match(name):
            checker.add(where, f"invalid blank name {name!r}: use lowercase letters, digits and underscores", key=True)
        elif name in STANDARD:
            checker.add(where, f"{{{name}}} is a standard blank already; remove it from 'blanks:'", key=True)
        elif not isinstance(help_text, str) or not help_text.strip():
            checker.add(where, f"blank {name!r} needs a help text saying what the rep fills in")
        else:
            declared[name] = help_text.strip()
    return declared


def check_family(checker: _Checker, spec: object, path: tuple, name: str | None = None) -> dict | None:
    """A situation family: ``family:`` at the top of a phrases file, or an entry of ``families:``."""
    if not isinstance(spec, dict):
        checker.add(path, f"a family is a mapping with name, title and situations, not {_type_name(spec)}")
        return None
    before = len(checker.findings)
    checker.unknown_keys(spec, path, FAMILY_KEYS, "a family")
    if name is None:
        name = checker.string(spec, "name", path, required=True)
    elif "name" in spec and spec["name"] != name:
        checker.add(path + ("name",), f"family name {spec['name']!r} differs from its key {name!r}")
    if name is not None and (not isinstance(name, str) or not NAME_RE.match(name)):
        checker.add(path + ("name",) if "name" in spec else path,
                    f"invalid family name {name!r}: use lowercase letters, digits and dashes")  # fmt: skip
    title = checker.string(spec, "title", path) or ""
    sector = checker.string(spec, "sector", path) or ""
    situations = checker.string_list(spec, "situations", path)
    sensitive = spec.get("sensitive", False)
    if not isinstance(sensitive, bool):
        checker.add(path + ("sensitive",), "'sensitive' must be true or false")
    fault = checker.string(spec, "fault", path) or "unknown"
    if fault not in FAULTS:
        checker.add(path + ("fault",), f"'fault' must be one of {', '.join(FAULTS)}, not {fault!r}")
    if len(checker.findings) > before:
        return None
    line = checker.doc.location(path).line
    return {"name": name, "title": title, "sector": sector, "situations": tuple(situations),
            "sensitive": sensitive, "fault": fault, "source": checker.doc.path, "line": line}  # fmt: skip


def _check_avoid(checker: _Checker, entries: object, header: dict) -> None:
    """``avoid:`` rules for ``phrasekit check``: a pattern, the reason, and what to suggest. A
    pattern that could stall ``check`` is refused here (patterns.compile_pattern says why): a soft
    finding, so the pack still loads without that rule."""
    import re

    from .patterns import PatternError, SlowPattern, compile_pattern

    if entries is None:
        return
    if not isinstance(entries, list):
        checker.add(
            ("avoid",), f"'avoid' must be a list of rules (each with pattern and reason), not {_type_name(entries)}"
        )
        return
    known = set(BUILTIN_CATEGORY_NAMES) | set(header["categories"])
    for index, entry in enumerate(entries):
        where = ("avoid", index)
        if not isinstance(entry, dict):
            checker.add(where, f"each avoid rule is a mapping with 'pattern:' and 'reason:', not {_type_name(entry)}")
            continue
        before = len(checker.findings)
        checker.unknown_keys(entry, where, AVOID_KEYS, "an avoid rule")
        pattern = checker.string(entry, "pattern", where, required=True)
        checker.string(entry, "reason", where, required=True)
        rule_id = checker.string(entry, "id", where)
        if rule_id is not None and not NAME_RE.match(rule_id):
            checker.add(where + ("id",), f"invalid rule id {rule_id!r}: use lowercase letters, digits and dashes")
        for number, expression in enumerate([pattern, *checker.string_list(entry, "unless", where)]):
            if expression is None:
                continue
            try:
                compile_pattern(expression, re.IGNORECASE)  # as ``check`` compiles it
            except PatternError as exc:
                spot = where + (("pattern",) if number == 0 else ("unless", number - 1))
                checker.add(spot, exc.message, soft=isinstance(exc, SlowPattern))
        target = checker.string(entry, "suggest", where)
        if target is not None and "/" not in target and target not in known:
            checker.add(
                where + ("suggest",),
                f"'suggest' must be a category or a phrase id (pack/id); unknown category {target!r}"
                f"{did_you_mean(target, known)}",
            )
        if len(checker.findings) == before:  # its place kept: its default id stays avoid-N when one before is refused
            header["avoid"].append({**entry, "number": index + 1})


def check_phrases(
    doc: YamlDocument,
    path: tuple,
    categories: Iterable[str],
    seen_ids: dict[str, str],
    blanks: Iterable[str] = (),
    family: str | None = None,
) -> tuple[list[dict], list[Finding]]:
    """Check a ``phrases:`` list; ``seen_ids`` maps id -> location across the pack's files.

    ``blanks`` are the pack's own blank names (the standard ones are always known) and ``family``
    the one a phrase belongs to unless it names another; whether a named family exists is known
    only once every file is read (``unknown_families``)."""
    from .blanks import STANDARD
    from .blanks import problems as blank_problems

    checker = _Checker(doc)
    known = set(BUILTIN_CATEGORY_NAMES) | set(categories)
    known_blanks = set(STANDARD) | set(blanks)
    container = doc.data
    for key in path:
        container = container.get(key) if isinstance(container, dict) else None
    if container is None:
        return [], checker.findings
    if not isinstance(container, list):
        checker.add(
            path, f"'phrases' must be a list of phrases (each starting with '- id:'), not {_type_name(container)}"
        )
        return [], checker.findings
    phrases = []
    for index, item in enumerate(container):
        where = path + (index,)
        if not isinstance(item, dict):
            checker.add(where, f"each phrase must be a mapping with id, category and text, not {_type_name(item)}")
            continue
        before = len(checker.findings)
        checker.unknown_keys(item, where, PHRASE_KEYS, "a phrase")
        phrase_id = checker.string(item, "id", where, required=True)
        if phrase_id is not None:
            if "/" in phrase_id:
                checker.add(
                    where + ("id",),
                    f"id {phrase_id!r} must not contain '/'; write only the last part "
                    f"({phrase_id.rsplit('/', 1)[-1]!r}): the pack name is added for you",
                )
            elif any(ch.isspace() for ch in phrase_id):
                checker.add(
                    where + ("id",),
                    f"id {phrase_id!r} must not contain spaces; "
                    f"use dashes (e.g. {'-'.join(phrase_id.split()).lower()!r})",
                )
            elif not NAME_RE.match(phrase_id):
                checker.add(where + ("id",), f"invalid id {phrase_id!r}: use lowercase letters, digits and dashes")
            elif phrase_id in seen_ids:
                checker.add(where + ("id",), f"duplicate id {phrase_id!r}: also at {seen_ids[phrase_id]}")
            else:
                seen_ids[phrase_id] = str(doc.location(where + ("id",)))
        category = checker.string(item, "category", where, required=True)
        if category is not None and category not in known:
            checker.add(
                where + ("category",),
                f"unknown category {category!r}{did_you_mean(category, known)} "
                "(use a built-in one, see 'phrasekit categories', or declare it under 'categories:' in pack.yaml)",
            )
        text = checker.string(item, "text", where, required=True)
        if text is not None and not text.strip():
            checker.add(where + ("text",), "'text' is empty")
        elif text is not None:
            for problem in blank_problems(text, known_blanks):
                checker.findings.append(
                    Finding(doc.locate(where + ("text",), problem.token), problem.message, soft=True)
                )
        own_family = checker.string(item, "family", where)
        if own_family is not None and not NAME_RE.match(own_family):
            checker.add(
                where + ("family",), f"invalid family name {own_family!r}: use lowercase letters, digits and dashes"
            )
        situations = checker.string_list(item, "situations", where)
        tags = checker.string_list(item, "tags", where)
        channels = checker.string_list(item, "channels", where)
        for number, channel in enumerate(channels):
            if channel not in CHANNELS:
                checker.add(
                    where + ("channels", number), f"unknown channel {channel!r} (allowed: {', '.join(CHANNELS)})"
                )
        tone = checker.string(item, "tone", where)
        if tone is not None and tone not in TONES:
            checker.add(where + ("tone",), f"unknown tone {tone!r} (allowed: {', '.join(TONES)})")
        # Where an imported phrase came from (``phrasekit import``): its name and id in that tool.
        origin = {key: value for key in ("title", "source") if (value := checker.string(item, key, where)) is not None}
        if all(finding.soft for finding in checker.findings[before:]):
            line = doc.location(where).line
            phrases.append(
                {
                    **origin,
                    "id": phrase_id,
                    "category": category,
                    "text": text.strip(),
                    "situations": tuple(situations),
                    "tags": tuple(tags),
                    "channels": tuple(channels),
                    "tone": tone,
                    "family": own_family or family,
                    "family_at": doc.location(where + ("family",)) if own_family else None,
                    "line": line,
                }
            )
    return phrases, checker.findings


def check_phrase_file(doc: YamlDocument, header: dict, seen_ids: dict[str, str]) -> tuple[list[dict], list[Finding]]:
    """Check one ``phrases/*.yaml`` file: its keys, its ``family:`` header (added to
    ``header["families"]``) and its phrases."""
    checker = _Checker(doc)
    checker.findings.extend(character_findings(doc.source, doc.path, yaml_text=True))
    if doc.data is None:
        checker.add((), "file is empty; a phrases file holds 'phrases:' and a list")
        return [], checker.findings
    if not isinstance(doc.data, dict) or "phrases" not in doc.data:
        checker.add((), "a phrases file must hold 'phrases:' followed by a list of phrases")
        return [], checker.findings
    checker.unknown_keys(doc.data, (), PHRASE_FILE_KEYS, "a phrases file")
    family_name = None
    if "family" in doc.data:
        family = check_family(checker, doc.data["family"], ("family",))
        if family is not None:
            family_name = family["name"]
            earlier = header["families"].get(family_name)
            if earlier is not None:
                checker.add(("family", "name"), f"family {family_name!r} is declared twice "
                            f"(also at {earlier['source']}:{earlier['line']})")  # fmt: skip
            else:
                header["families"][family_name] = family
    # Blanks a phrases file declares are its own (an import keeps what it made in its file): they
    # count for its phrases, not another file's.
    own = _check_blanks(checker, doc.data.get("blanks"))
    for name in [name for name in own if name in header["blanks"]]:
        checker.add(("blanks", name), f"blank {name!r} is declared in pack.yaml already; remove it here", key=True)
        del own[name]
    header.setdefault("file_blanks", {}).update(own)
    known = {**header["blanks"], **own} if own else header["blanks"]
    phrases, findings = check_phrases(doc, ("phrases",), header["categories"], seen_ids, known, family_name)
    return phrases, checker.findings + findings


def unknown_families(items: Iterable[dict], families: dict) -> list[Finding]:
    """Phrases naming a family (``family:``) that no file of the pack declares."""
    return [
        Finding(item["family_at"], f"unknown family {item['family']!r}{did_you_mean(item['family'], families)} "
                "(declare it with 'family:' at the top of a phrases file, or under 'families:' in pack.yaml)")
        for item in items
        if item["family_at"] is not None and item["family"] not in families
    ]  # fmt: skip
