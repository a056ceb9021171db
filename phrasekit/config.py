"""The user's config file: defaults for rendering (agent, company, signature) and settings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .channels import NAMES as CHANNELS
from .folders import config_dir

if TYPE_CHECKING:
    from pathlib import Path

EXAMPLE = f"""\
# phrasekit config: defaults for every render; a case file and --set override them.
agent:
  name: Sam Patel
company:
  name: Northwind Goods
signature: "Customer Care | Mon-Fri 8am-6pm"
# The channel you work on: search and script keep to phrases for it ({", ".join(CHANNELS)}).
channel: phone
"""


def config_path() -> Path:
    return config_dir() / "config.yaml"


def load_config() -> dict:
    """The config as a mapping; empty when there is no config file (found without ``pathlib``:
    ``script`` and ``render`` ask on every run)."""
    import errno
    import os
    import stat

    from .folders import config_folder

    path = os.path.join(config_folder(), "config.yaml")
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return {}
    except OSError as error:  # as ``Path.is_file``: a name too long is an error, not "no config"
        if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return {}
        raise
    from .case import read_mapping_file

    data, doc = read_mapping_file(path, "the config file")
    return _checked(data, doc, path)


CONFIG_SCAN = 256 * 1024
"""How much of config.yaml a search reads for its ``channel:`` and ``semantic:`` lines: the
whole of any real config (``load_config`` refuses one larger than this, ``files.INPUT_LIMIT``)."""


def semantic_off_by_env() -> bool:
    """``PHRASEKIT_SEMANTIC=0`` (or false, no, off): semantic ranking turned off for this shell."""
    import os

    return os.environ.get("PHRASEKIT_SEMANTIC", "").strip().lower() in ("0", "false", "no", "off")


def default_channel() -> str | None:
    """The ``channel:`` set in config.yaml (read as text, so a search never loads YAML for it);
    a channel phrasekit does not know is an error naming the line."""
    import os
    import re

    from .errors import Location, PhrasekitError
    from .folders import config_folder

    path = os.path.join(config_folder(), "config.yaml")
    try:
        if not os.path.isfile(path):  # nothing there, or a named pipe or device: never waited on
            return None
        with open(path, encoding="utf-8", errors="replace") as stream:
            text = stream.read(CONFIG_SCAN)
    except (OSError, ValueError):
        return None
    match = re.search(r"^channel:[ \t]*[\"']?([^\"'#\n]*?)[\"']?[ \t]*(?:#.*)?$", text, re.MULTILINE)
    if match is None or not match.group(1):
        return None
    value = match.group(1).strip().lower()
    if value not in CHANNELS:
        line = text.count("\n", 0, match.start()) + 1
        raise PhrasekitError(f"unknown channel {value!r} in the config file (allowed: {', '.join(CHANNELS)})",
                             Location(str(path), line, match.start(1) - match.start() + 1))  # fmt: skip
    return value


# --- the settings a rep changes, declared once ---------------------------------------------------


class Setting:
    """One setting of config.yaml: its dotted key, what kind of value it takes (``text``,
    ``channel``: one of ``channels.NAMES``, ``switch``: on or off), what it is for and its value
    when unset. (A plain class, not a ``NamedTuple``: every search imports this module, and
    making a named tuple class costs a cold search a fraction of a millisecond.)"""

    __slots__ = ("key", "kind", "help", "default")

    def __init__(self, key: str, kind: str, help: str, default: object = None) -> None:
        self.key, self.kind, self.help, self.default = key, kind, help, default

    def __repr__(self) -> str:
        return f"Setting({self.key!r}, {self.kind!r})"


SETTINGS: tuple[Setting, ...] = (
    Setting("agent.name", "text", "your name, under a follow-up and in a script"),
    Setting("company.name", "text", "the company you answer for"),
    Setting("signature", "text", "a line under your name in a follow-up"),
    Setting("channel", "channel", f"the channel you work on: search and script keep to it ({', '.join(CHANNELS)})"),
    Setting("semantic", "switch", "semantic ranking, when the extra is installed", True),
    Setting("history", "switch", "remember the phrases you take, on this machine only", True),
)
KNOWN: dict[str, Setting] = {setting.key: setting for setting in SETTINGS}
SECTIONS = frozenset(key.split(".")[0] for key in KNOWN if "." in key)
"""The mappings that hold settings (``agent``, ``company``)."""

SWITCH_WORDS = {"true": True, "on": True, "yes": True, "1": True, "false": False, "off": False, "no": False, "0": False}


def setting(key: str) -> Setting:
    """The setting ``key`` names; an unknown key is an error listing the known ones."""
    found = KNOWN.get(key)
    if found is not None:
        return found
    import difflib

    from .errors import PhrasekitError

    close = difflib.get_close_matches(key, list(KNOWN), n=1)
    from .visible import visible

    guess = f"; did you mean {close[0]!r}?" if close else ""
    raise PhrasekitError(f"unknown setting {visible(key)!r}{guess}",
                         hint=f"The settings: {', '.join(KNOWN)}.")  # fmt: skip


def _value(found: Setting, value: object) -> object:
    """``value`` as the setting holds it (a switch as ``True``/``False``, a channel in lower
    case); ``ValueError`` saying what it takes when it cannot be."""
    if found.kind == "switch":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower() if isinstance(value, (str, int)) else None
        if word not in SWITCH_WORDS:
            raise ValueError(f"{found.key} is on or off: true/false, on/off or yes/no")
        return SWITCH_WORDS[word]
    if found.kind == "text" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value  # a name YAML reads as a number (company: {name: 1800}) renders as it always did
    if not isinstance(value, str):
        raise ValueError(f"{found.key} takes {'a channel' if found.kind == 'channel' else 'text'}")
    if found.kind == "channel":
        if value.strip().lower() not in CHANNELS:
            raise ValueError(f"unknown channel {value!r} (allowed: {', '.join(CHANNELS)})")
        return value.strip().lower()
    return value


def _at(data: object, key: str) -> object:
    from .case import get_path

    return get_path(data, key)


def _checked(data: dict, doc, display: str) -> dict:
    """The config with each known setting's value checked and in its own form: a switch written
    as ``off`` or ``"no"`` is ``False`` (so ``load_config().get("history", True)`` is a
    ``bool``); a value a setting cannot take is an error at its line and column."""
    from .errors import Location, PhrasekitError

    for found in SETTINGS:
        value = _at(data, found.key)
        if value is None:
            continue
        try:
            normal = _value(found, value)
        except ValueError as error:
            where = doc.location(tuple(found.key.split("."))) if doc is not None else Location(display)
            raise PhrasekitError(f"{error} in the config file", where) from None
        parent = data
        *sections, last = found.key.split(".")
        for part in sections:
            parent = parent[part]
        parent[last] = normal
    return data


def unknown_keys(data: dict) -> list[str]:
    """The keys of the config that are no setting (a typo, or an old name), dotted."""
    unknown = []
    for key, value in data.items():
        if key in KNOWN or key in SECTIONS and value is None:  # "agent:" with nothing under it yet
            continue
        if key in SECTIONS and isinstance(value, dict):
            unknown += [f"{key}.{child}" for child in value if f"{key}.{child}" not in KNOWN]
        else:
            unknown.append(str(key))
    return unknown


class ConfigFile:
    """The config file as ``config show`` gives it: where it is, its settings, its text (``None``
    when there is no file) and its keys that are no setting."""

    __slots__ = ("path", "data", "text", "unknown")

    def __init__(self, path: str, data: dict, text: str | None, unknown: list[str]) -> None:
        self.path, self.data, self.text, self.unknown = path, data, text, unknown


def read_config() -> ConfigFile:
    """The config file, read and checked (``load_config``), with its text and unknown keys."""
    import os

    from .folders import config_folder

    path = os.path.join(config_folder(), "config.yaml")
    data = load_config()
    if not os.path.isfile(path):
        return ConfigFile(path, data, None, [])
    from .yamlfile import read_text

    return ConfigFile(path, data, read_text(path, "the config file"), unknown_keys(data))


def get_setting(key: str) -> object:
    """The value of setting ``key`` in the config file (checked, as ``load_config`` gives it),
    ``None`` when it is not set; an unknown key is an error."""
    return _at(load_config(), setting(key).key)


def parse_setting(key: str, raw: str) -> object:
    """``raw`` (as typed) as the value of setting ``key``, or an error saying what it takes."""
    from .errors import PhrasekitError
    from .visible import breaks_text

    found = setting(key)
    if found.kind == "text":
        if not raw.strip():
            raise PhrasekitError(f"{key} needs a value", hint=f"To remove it, delete its line in {config_path()}.")
        if any(breaks_text(char) or char in "\t\n" for char in raw):
            raise PhrasekitError(f"{key} must be one line of text without control characters",
                                 hint=f"For more than one line, edit {config_path()}.")  # fmt: skip
    try:
        return _value(found, raw)
    except ValueError as error:
        raise PhrasekitError(str(error)) from None


_PLAIN = r"[^\W_][\w .'()/+&@-]*"
"""A text value written without quotes (a name, a signature): nothing YAML reads as anything else
in a block or a flow mapping; any other text is written double-quoted, escaped as JSON."""


def _scalar(value: object) -> str:
    """``value`` as a YAML scalar that reads back as exactly ``value``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if re.fullmatch(_PLAIN, text) and not text.endswith(" "):
        import yaml

        if yaml.safe_load(text) == text:  # not a number, a date, a null or a boolean
            return text
    import json

    return json.dumps(text, ensure_ascii=False)


class Written:
    """What ``set_setting`` did: the value written, the file, and when the file had to be
    written anew (its comments could not be kept) the backup of it as it was, else ``None``."""

    __slots__ = ("value", "path", "backup")

    def __init__(self, value: object, path: str, backup: str | None) -> None:
        self.value, self.path, self.backup = value, path, backup


def set_setting(key: str, raw: str) -> Written:
    """Set ``key`` to ``raw`` in config.yaml, written atomically. The value's own text is
    replaced in place (or its line added under its section), so every other key, comment and
    blank line stays as it was; checked by reading the result back, which must differ from the
    file only in that value. When that cannot be done (a section written inline that lacks the
    key), the file is written anew from its data (PyYAML cannot keep comments), the file as it
    was kept once as ``config.yaml.bak`` (never replaced: it is the user's own).
    A config that cannot be read is an error at its line and column and is never written."""
    import copy
    import os

    from .case import read_mapping_file
    from .errors import Location, PhrasekitError
    from .files import write_atomic
    from .folders import config_folder
    from .yamlfile import parse_yaml

    value = parse_setting(key, raw)
    path = os.path.join(config_folder(), "config.yaml")
    data, doc = read_mapping_file(path, "the config file") if os.path.lexists(path) else ({}, None)
    data = data or {}
    parts = key.split(".")
    parent = data
    for depth, part in enumerate(parts[:-1]):
        if parent.get(part) is not None and not isinstance(parent[part], dict):
            where = doc.location(tuple(parts[: depth + 1])) if doc is not None else Location(path)
            raise PhrasekitError(
                f"'{part}' in the config file is not a section of keys, so {key} cannot go in it",
                where, hint=f"Write it as '{part}:' with '{parts[-1]}:' indented under it.",
            )  # fmt: skip
        parent = parent.get(part) or {}
    wanted = copy.deepcopy(data)
    target = wanted
    for part in parts[:-1]:
        if not isinstance(target.get(part), dict):  # missing, or "agent:" with nothing under it
            target[part] = {}
        target = target[part]
    target[parts[-1]] = value
    text = doc.source if doc is not None else ""
    edited = _edited(text, doc, parts, _scalar(value))
    backup = None
    if edited is not None:
        try:
            check = parse_yaml(edited, path)
        except PhrasekitError:
            check = None
        if check is None or check.findings or check.data != wanted:
            edited = None
    if edited is None:
        import yaml

        edited = yaml.safe_dump(wanted, sort_keys=False, allow_unicode=True, default_flow_style=False)
        if text.strip():
            backup = path + ".bak"
            if not os.path.lexists(backup):  # one copy, of the file as the user wrote it
                write_atomic(backup, text)
    write_atomic(path, edited, force=True)
    return Written(value, path, backup)


def _edited(text: str, doc, parts: list[str], scalar: str) -> str | None:
    """``text`` with the setting at ``parts`` set to ``scalar``, everything else as it was;
    ``None`` when that takes more than one replaced value or one added line."""
    path = tuple(parts)
    if doc is not None and path in doc.spans:
        start, end = doc.spans[path]
        if start == end:  # "name:" with no value
            scalar = " " + scalar
        return text[:start] + scalar + text[end:]
    if doc is not None and _at(doc.data, ".".join(parts)) is not None:
        return None  # a list or a mapping where a value belongs
    if not text.endswith("\n") and text:
        text += "\n"
    if len(parts) == 1 or doc is None or path[:1] not in doc.key_marks:
        lines = [f"{part}:" for part in parts[:-1]]
        indent = "  " * len(lines)
        return (
            text
            + "".join(f"{'  ' * depth}{line}\n" for depth, line in enumerate(lines))
            + f"{indent}{parts[-1]}: {scalar}\n"
        )
    section = path[:1]
    key_line, key_column = doc.key_marks[section]
    value_line = doc.marks.get(section, (key_line, 0))[0]
    if value_line == key_line and doc.data.get(parts[0]) is not None:
        return None  # a section written inline, {name: Sam}: written anew
    children = [mark for child, mark in doc.key_marks.items() if len(child) == 2 and child[0] == parts[0]]
    indent = children[0][1] - 1 if children else key_column + 1
    lines = text.splitlines(keepends=True)
    insert = f"{' ' * indent}{parts[-1]}: {scalar}\n"
    if value_line == key_line:  # "agent:" with nothing under it: the line ends there
        line = lines[key_line - 1]
        lines[key_line - 1] = line.rstrip("\n") + "\n"
    return "".join(lines[:key_line] + [insert] + lines[key_line:])
