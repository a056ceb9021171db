"""Case details for rendering: a case file (YAML or JSON), the user's config defaults and
``--set KEY=VALUE`` overrides, merged into one nested mapping.

Canonical names (templates may use more): customer.name, customer.first_name, customer.email,
customer.phone, agent.name, company.name, case.id, case.issue, case.resolution, case.next_steps,
case.when, case.channel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .errors import Finding, Location, PhrasekitError

if TYPE_CHECKING:
    from pathlib import Path

CANONICAL = (
    "customer.name", "customer.first_name", "customer.email", "customer.phone", "agent.name",
    "company.name", "case.id", "case.issue", "case.resolution", "case.next_steps", "case.when",
    "case.channel",
)  # fmt: skip
PRIVATE = ("customer.email", "customer.phone", "customer.address")


class CaseFileError(PhrasekitError):
    """A case or config file that cannot be used."""


def _type_name(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", int: "a number",
            float: "a number", type(None): "nothing"}.get(type(value), type(value).__name__)  # fmt: skip


def read_mapping_file(path: Path | str, what: str) -> tuple[dict, Any]:
    """Read a YAML or JSON file that must hold a mapping; returns (data, document-or-None)."""
    from pathlib import Path

    from .files import INPUT_LIMIT
    from .yamlfile import YamlFileError, parse_yaml, read_text

    path = Path(path)
    display = str(path)
    try:
        text = read_text(path, what, INPUT_LIMIT)
        if path.suffix.lower() == ".json":
            import json

            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise CaseFileError(f"JSON syntax error: {exc.msg}", Location(display, exc.lineno, exc.colno)) from None
            except RecursionError:
                raise CaseFileError("nested too deeply to read; a case file is a few levels of keys",
                                    Location(display)) from None  # fmt: skip
            doc = None
        else:
            doc = parse_yaml(text, display)
            if doc.findings:
                raise CaseFileError(
                    f"{what} has {len(doc.findings)} problem(s)", Location(display), findings=doc.findings
                )
            data = doc.data
    except YamlFileError as exc:
        raise CaseFileError(exc.message, exc.location, exc.hint, exc.findings) from None
    if data is None:
        return {}, doc
    if not isinstance(data, dict):
        line = doc.location(()).line if doc else 1
        raise CaseFileError(
            f"{what} must be a mapping of keys (like 'customer:' and 'case:'), not {_type_name(data)}",
            Location(display, line, 1),
        )
    return data, doc


def load_case(path: Path | str) -> dict:
    """Read a case file and check the canonical names hold text."""
    data, doc = read_mapping_file(path, "the case file")
    findings = []
    for name in CANONICAL:
        section, key = name.split(".")
        part = data.get(section)
        if part is None:
            continue
        if not isinstance(part, dict):
            where = doc.location((section,)) if doc else Location(str(path))
            findings.append(Finding(where, f"'{section}' must be a mapping of details, not {_type_name(part)}"))
            continue
        value = part.get(key)
        if value is not None and (isinstance(value, (dict, list, bool))):
            where = doc.location((section, key)) if doc else Location(str(path))
            findings.append(Finding(where, f"'{name}' must be text, not {_type_name(value)}"))
    if findings:
        unique = list(dict.fromkeys(findings))
        raise CaseFileError(f"the case file has {len(unique)} problem(s)", Location(str(path)), findings=unique)
    return data


def parse_sets(pairs: Iterable[str]) -> dict:
    """``--set customer.name=Dana`` pairs as a nested mapping."""
    result: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key or any(not part for part in key.split(".")):
            raise PhrasekitError(f"--set {pair!r}: write KEY=VALUE, e.g. --set customer.name='Dana Reyes'")
        set_path(result, key, value)
    return result


def set_path(data: dict, dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        if not isinstance(data.get(part), dict):
            data[part] = {}
        data = data[part]
    data[parts[-1]] = value


def get_path(data: Mapping, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(data, Mapping) or part not in data:
            return None
        data = data[part]
    return data


def merge(*layers: Mapping) -> dict:
    """Later layers win, key by key, at every depth."""
    result: dict = {}
    for layer in layers:
        _merge_into(result, layer)
    return result


def _merge_into(target: dict, layer: Mapping) -> None:
    for key, value in layer.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge_into(target[key], value)
        elif isinstance(value, (dict, list)):
            import copy  # only when a layer holds a mapping or a list (a search merges nothing)

            target[key] = copy.deepcopy(value)
        else:
            target[key] = value


CONFIG_BLANKS = frozenset({"agent", "company"})
"""Blanks the config file's defaults fill (agent.name, company.name)."""


def case_details(
    case_file: Path | str | None = None,
    sets: Iterable[str] = (),
    *,
    details: Mapping | None = None,
    wanted: Iterable[str] | None = None,
) -> dict:
    """The one merge of a case's details, used by every command: the config file's defaults,
    then the case file, then ``--set KEY=VALUE`` pairs, then ``details``, merged deeply (a case
    file's ``agent:`` section keeps the configured agent name), with what can be derived (a
    first name) filled in.

    ``wanted`` names the blanks a result needs: when none of them comes from the config and
    nothing else is given, nothing is read (a search stays cheap)."""
    sets = tuple(sets)
    if wanted is not None and not case_file and not sets and not details and not set(wanted) & CONFIG_BLANKS:
        return {}
    from .config import load_config

    layers = [load_config(), load_case(case_file) if case_file else {}, parse_sets(sets), details or {}]
    return derive(merge(*layers))


HONORIFICS = frozenset("mr mrs ms miss mx dr prof sir dame lady lord rev fr".split())
"""Titles that come before a name and are not the first name ("Mrs Clara Wu" is Clara)."""


def derive(details: dict) -> dict:
    """Fill what can be worked out: a first name from the full name (past a title)."""
    name = get_path(details, "customer.name")
    if get_path(details, "customer.first_name") in (None, "") and isinstance(name, str) and name.strip():
        parts = name.split()
        rest = parts
        while len(rest) > 1 and rest[0].rstrip(".").lower() in HONORIFICS:
            rest = rest[1:]
        # "Mr Smith" has no first name to use: greet by the whole name.
        first = rest[0] if rest is parts or len(rest) > 1 else name.strip()
        set_path(details, "customer.first_name", first)
    return details
