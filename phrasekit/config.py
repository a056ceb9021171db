"""The user's config file: defaults for rendering (agent, company, signature) and settings."""

from __future__ import annotations

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

    data, _ = read_mapping_file(path, "the config file")
    return data


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
