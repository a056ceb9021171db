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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Finding, Location, YamlFileError

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


def decode_utf8(raw: bytes, display: str) -> str:
    """Decode UTF-8 (a BOM is allowed) or raise with the line and column of the first bad byte."""
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        return raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + bom
        before = raw[bom:start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlFileError(
            f"not valid UTF-8 (byte 0x{raw[start]:02x}); save the file as UTF-8",
            Location(display, line, column),
        ) from None


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


def parse_yaml(text: str, display: str) -> YamlDocument:
    """Parse YAML text into plain data with marks; raises ``YamlFileError`` when unreadable."""
    tabs = _tab_findings(text, display)
    if tabs:
        raise YamlFileError(
            f"{len(tabs)} line(s) indented with tabs",
            Location(display),
            findings=tabs,
            hint="Indent with spaces.",
        )
    loader = _Base(text)
    try:
        node = loader.get_single_node()
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
        doc.data = _Walker(loader, doc).build(node, ())
    return doc


def read_text(path: Path | str, what: str = "file") -> str:
    """A user's UTF-8 text file, or ``YamlFileError`` naming the file (and the bad byte's place)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise YamlFileError(f"cannot read {what}: {exc.strerror}", Location(str(path))) from None
    return decode_utf8(raw, str(path))


def load_yaml(path: Path | str, display: str | None = None) -> YamlDocument:
    """Read and parse a YAML file; ``display`` is the name used in messages."""
    display = display or str(path)
    return parse_yaml(read_text(path), display)


class _Walker:
    """Turns a composed node graph into plain data, refusing what packs may not contain."""

    def __init__(self, loader: Any, doc: YamlDocument) -> None:
        self.loader = loader
        self.doc = doc
        self.seen: set[int] = set()
        self.reported: set[int] = set()

    def _finding(self, node: Any, message: str) -> None:
        mark = node.start_mark
        self.doc.findings.append(Finding(Location(self.doc.path, mark.line + 1, mark.column + 1), message))

    def build(self, node: Any, path: tuple) -> Any:
        self.doc.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:
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
            return self.loader.construct_object(node, deep=True)
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
                self._finding(key_node, "merge keys (<<) are not allowed; write the keys out")
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
