"""Safe YAML reading that remembers where every value came from.

Packs and case files come from strangers, so YAML is read only through the safe loader
(the C one when present), with these extra rules:

- no tags beyond plain data (``!!python/...`` and custom tags are refused);
- no anchors or aliases, so a small file cannot expand into unbounded memory or time;
- a key repeated in one mapping is an error, not silently "last one wins";
- tabs in indentation and non-UTF-8 bytes are reported with their line and column.

Every value's line and column is kept in ``YamlDocument.marks``, keyed by its path
(``("phrases", 3, "id")``), so that validation can point at the exact spot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Finding, Location, YamlFileError
from .files import decode_utf8

try:
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


@dataclass
class YamlDocument:
    path: str
    data: Any
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    source: str = ""
    spans: dict[tuple, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: tuple, needle: str) -> Location:
        """Where ``needle`` is written inside the scalar at ``path`` (a blank in a phrase's text),
        else where the scalar starts."""
        span = self.spans.get(tuple(path))
        if span is not None and needle:
            found = self.source.find(needle, span[0], span[1])
            if found >= 0:
                line = self.source.count("\n", 0, found) + 1
                column = found - (self.source.rfind("\n", 0, found) + 1) + 1
                return Location(self.path, line, column)
        return self.location(path)

    def location(self, path: tuple, key: bool = False) -> Location:
        """The location of the value at ``path`` (or of its key), else of its nearest parent."""
        table = self.key_marks if key else self.marks
        probe = tuple(path)
        while probe:
            if probe in table:
                line, column = table[probe]
                return Location(self.path, line, column)
            if probe in self.marks:
                line, column = self.marks[probe]
                return Location(self.path, line, column)
            probe = probe[:-1]
        if () in self.marks:
            line, column = self.marks[()]
            return Location(self.path, line, column)
        return Location(self.path)


def _tab_findings(text: str, display: str) -> list[Finding]:
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            findings.append(
                Finding(
                    Location(display, number, indent.index("\t") + 1),
                    "tab in indentation; YAML allows only spaces here",
                )
            )
    return findings


_RAW_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
"""The control characters YAML refuses when written raw (it allows tab, line breaks and NEL)."""


def _control_findings(text: str, display: str) -> list[Finding]:
    from .visible import describe, shown

    findings = []
    for found in _RAW_CONTROL_RE.finditer(text):
        offset, char = found.start(), found.group()
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        findings.append(Finding(Location(display, line, column),
                                f"{describe(char)} (shown as {shown(char)}): a control character, which YAML "
                                "does not allow; remove it"))  # fmt: skip
    return findings


ALIAS_BUDGET = 200_000
"""The most values a file read with aliases allowed may expand to. An export of a few thousand
replies holds some tens of thousands; a "billion laughs" file holds billions, and is refused
when it reaches this instead of filling memory."""


def parse_yaml(text: str, display: str, aliases: bool = False) -> YamlDocument:
    """Parse YAML text into plain data with marks; raises ``YamlFileError`` when unreadable.

    Packs may not use anchors, aliases or merge keys (a finding says so); with ``aliases`` (a
    file another tool wrote, such as an espanso match file) they are read, each use a copy, up
    to ``ALIAS_BUDGET`` values."""
    tabs = _tab_findings(text, display)
    if tabs:
        raise YamlFileError(
            f"{len(tabs)} line(s) indented with tabs",
            Location(display),
            findings=tabs,
            hint="Indent with spaces.",
        )
    controls = _control_findings(text, display) if _RAW_CONTROL_RE.search(text) else []
    if controls:
        raise YamlFileError(f"{len(controls)} control character(s)", Location(display), findings=controls)
    loader = _Base(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise YamlFileError("nested too deeply to read; a pack or case file is a few levels of keys and lists",
                                Location(display)) from None  # fmt: skip
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            started = exc.context_mark
            where = (
                f" at line {started.line + 1}, column {started.column + 1}"
                if started is not None and mark is not None and started.line != mark.line
                else ""
            )
            problem = f"{exc.problem} ({exc.context}{where})"
        location = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
        raise YamlFileError(f"YAML syntax error: {problem}", location) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(f"YAML error: {exc}", Location(display)) from None
    finally:
        loader.dispose()
    doc = YamlDocument(display, None, source=text)
    if node is not None:
        try:
            doc.data = _Walker(loader, doc, aliases).build(node, ())
        except RecursionError:
            raise YamlFileError("nested too deeply to read; a pack or case file is a few levels of keys and lists",
                                Location(display)) from None  # fmt: skip
    return doc


class _Unusual(Exception):
    """The quick reader met something only the careful reader judges (an alias, a tag, a
    repeated or merge key): read the file again with ``parse_yaml``."""


MARKED_DEPTH = 2
"""The quick reader keeps the place of values this deep (``("phrases", 3)``: a phrase, a family):
a phrase's line is shown with it; finer places are needed only to report a problem, and a file
with a problem is read again with every place kept."""

SHARED_STRING = 64
"""Strings up to this long (keys, ids, categories, situations, tags) are kept once per file
however often they are written: a pack says "category" and "late delivery" thousands of times."""

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


def quick_parse_yaml(text: str, display: str) -> YamlDocument | None:
    """Parse plain YAML into data from the C parser's events, keeping only shallow places; no
    node graph is built, so a large file costs little more than parsing it. ``None`` when the
    text holds anything ``parse_yaml`` must judge (tabs, aliases, tags, repeated or merge keys,
    syntax errors): the caller reads it that way instead, for the exact message."""
    if "\t" in text:
        return None
    loader = _Base(text)
    loader.phrasekit_strings = {}
    doc = YamlDocument(display, None, source=text)
    try:
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return doc
        loader.get_event()  # document start
        doc.data = _quick_value(loader, doc, (), 0)
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            return None
    except (_Unusual, yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError):
        return None
    finally:
        loader.dispose()
    return doc


def _quick_value(loader: Any, doc: YamlDocument, path: tuple, depth: int) -> Any:
    event = loader.get_event()
    if getattr(event, "anchor", None) is not None or isinstance(event, yaml.AliasEvent):
        raise _Unusual
    if depth <= MARKED_DEPTH:
        doc.marks[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
    if isinstance(event, yaml.ScalarEvent):
        return _quick_scalar(loader, event)
    if event.tag is not None and event.tag != "!" and event.tag not in _PLAIN_TAGS:
        raise _Unusual
    if isinstance(event, yaml.SequenceStartEvent):
        items = []
        while not loader.check_event(yaml.SequenceEndEvent):
            items.append(_quick_value(loader, doc, path + (len(items),) if depth < MARKED_DEPTH else path, depth + 1))
        loader.get_event()
        return items
    if isinstance(event, yaml.MappingStartEvent):
        result: dict = {}
        while not loader.check_event(yaml.MappingEndEvent):
            key_event = loader.get_event()
            if not isinstance(key_event, yaml.ScalarEvent) or key_event.anchor is not None:
                raise _Unusual
            key = _quick_scalar(loader, key_event, key=True)
            if key in result or not isinstance(key, (str, int, float, bool)) and key is not None:
                raise _Unusual
            if depth < MARKED_DEPTH:
                doc.key_marks[path + (key,)] = (key_event.start_mark.line + 1, key_event.start_mark.column + 1)
            result[key] = _quick_value(loader, doc, path + (key,) if depth < MARKED_DEPTH else path, depth + 1)
        loader.get_event()
        return result
    raise _Unusual


def _quick_scalar(loader: Any, event: Any, key: bool = False) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    elif tag not in _PLAIN_TAGS:
        raise _Unusual
    if tag in (_STR, _TIMESTAMP):
        value = event.value
        if len(value) <= SHARED_STRING:
            value = loader.phrasekit_strings.setdefault(value, value)
        return value
    if tag == _MERGE or tag not in _PLAIN_TAGS:
        raise _Unusual
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    value = loader.yaml_constructors[tag](loader, node)
    if _not_as_written(event.value, value):
        raise _Unusual  # parse_yaml says where, and what to write
    return value


_NOT_AS_WRITTEN = '{text!r} is read as the number {value!r}; put it in quotes ("{text}") to keep it as written'


def _not_as_written(text: str, value: Any) -> bool:
    """Whether YAML made a number of ``text`` that does not read back as it was written: an id
    ``001`` becomes 1, ``0755`` (octal) 493, ``1.10`` 1.1, ``1:30`` (base 60) 90, ``1_000``
    1000. Every value phrasekit reads is text in the end, so that would change what the user
    wrote without a word; a number written plainly (``404``, ``2.5``) is kept."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and str(value) != text


def quick_load_yaml(path: Path | str) -> YamlDocument | None:
    """``quick_parse_yaml`` of a file; ``None`` when it must be read with ``load_yaml``."""
    from .errors import PhrasekitError
    from .files import read_user_file

    try:
        raw = read_user_file(path)
        text = raw[3:].decode("utf-8") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("utf-8")
    except (PhrasekitError, UnicodeDecodeError, ValueError):
        return None
    return quick_parse_yaml(text, str(path))


def read_text(path: Path | str, what: str = "file", limit: int | None = None) -> str:
    """A user's UTF-8 text file (of at most ``limit`` bytes), or ``YamlFileError`` naming the
    file (and the bad byte's place); what is not a regular file is never read
    (``files.read_user_file``)."""
    from .errors import PhrasekitError
    from .files import read_user_file

    try:
        raw = read_user_file(path, what, limit)
    except PhrasekitError as exc:
        raise YamlFileError(exc.message, Location(str(path)), hint=exc.hint) from None
    return decode_utf8(raw, str(path))


def load_yaml(path: Path | str, display: str | None = None) -> YamlDocument:
    """Read and parse a YAML file; ``display`` is the name used in messages."""
    display = display or str(path)
    return parse_yaml(read_text(path), display)


class _Walker:
    """Turns a composed node graph into plain data, refusing what packs may not contain."""

    def __init__(self, loader: Any, doc: YamlDocument, aliases: bool = False) -> None:
        self.loader = loader
        self.doc = doc
        self.seen: set[int] = set()
        self.reported: set[int] = set()
        self.aliases = aliases
        self.built = 0

    def _finding(self, node: Any, message: str) -> None:
        mark = node.start_mark
        self.doc.findings.append(Finding(Location(self.doc.path, mark.line + 1, mark.column + 1), message))

    def build(self, node: Any, path: tuple) -> Any:
        self.doc.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if self.aliases:
            self.built += 1
            if self.built > ALIAS_BUDGET:
                mark = node.start_mark
                raise YamlFileError(f"its aliases expand to more than {ALIAS_BUDGET:,} values; refused",
                                    Location(self.doc.path, mark.line + 1, mark.column + 1),
                                    hint="Write the values out, or split the file.")  # fmt: skip
        elif id(node) in self.seen:
            if id(node) not in self.reported:
                self.reported.add(id(node))
                self._finding(
                    node,
                    "this anchored value is reused through an alias (*name); "
                    "anchors and aliases are not allowed, write the value out",
                )
            return None
        self.seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            self._finding(node, f"YAML tag {node.tag!r} is not allowed; only plain data is read")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (index,)) for index, item in enumerate(node.value)]
        self.doc.spans[path] = (node.start_mark.index, node.end_mark.index)
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        try:
            value = self.loader.construct_object(node, deep=True)
            if _not_as_written(node.value, value):
                self._finding(node, _NOT_AS_WRITTEN.format(text=node.value, value=value))
            return value
        except yaml.YAMLError as exc:
            self._finding(node, f"cannot read value: {getattr(exc, 'problem', exc)}")
        except (ValueError, TypeError, KeyError, OverflowError):
            self._finding(node, f"cannot read {node.value!r} as {node.tag.rsplit(':', 1)[-1]}; remove the tag")
        return None

    def _mapping(self, node: Any, path: tuple) -> dict:
        result: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                if not self.aliases:
                    self._finding(key_node, "merge keys (<<) are not allowed; write the keys out")
                    continue
                merged = self.build(value_node, path)
                for part in merged if isinstance(merged, list) else [merged]:
                    for key, value in part.items() if isinstance(part, dict) else ():
                        result.setdefault(key, value)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._finding(key_node, "a key must be a plain string")
                continue
            key = self.build(key_node, path + ("<key>",))
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                continue
            key_line = key_node.start_mark.line + 1
            if key in result:
                self._finding(
                    key_node,
                    f"duplicate key {key!r} (first at line {first_line[key]}); "
                    "YAML keeps only one of them, remove or rename the other",
                )
                continue
            first_line[key] = key_line
            self.doc.key_marks[path + (key,)] = (key_line, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path + (key,))
        self.doc.marks.pop(path + ("<key>",), None)
        return result
