"""Where phrasekit's files are: the built-in bank and templates, the user's folder (config and
packs), the user's data (history) and the cache. Plain strings, without ``pathlib`` or any other
module, since every command asks (a search with a current index asks nothing else of the file
system)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def config_folder() -> str:
    """The user's phrasekit folder (config.yaml, user packs), where click's ``get_app_dir``
    puts it, without importing click into the core: ``$XDG_CONFIG_HOME/phrasekit`` (default
    ``~/.config/phrasekit``), ``~/Library/Application Support/phrasekit`` on macOS,
    ``%APPDATA%\\phrasekit`` on Windows. (A string: a search with a current index imports no
    ``pathlib``.)"""
    return _user_folder(("APPDATA", "LOCALAPPDATA"), "XDG_CONFIG_HOME", "~/.config")


def data_folder() -> str:
    """Where phrasekit keeps what it learns of this user (the history of phrases used), apart
    from the config a user edits and the cache that may be deleted at any time:
    ``$XDG_DATA_HOME/phrasekit`` (default ``~/.local/share/phrasekit``),
    ``~/Library/Application Support/phrasekit`` on macOS (Apple's one folder for both),
    ``%LOCALAPPDATA%\\phrasekit`` on Windows (this machine's, never roamed to another)."""
    return _user_folder(("LOCALAPPDATA", "APPDATA"), "XDG_DATA_HOME", "~/.local/share")


def _user_folder(windows: tuple[str, str], xdg: str, default: str) -> str:
    """``phrasekit`` in the user's folder of a kind: the first of the ``windows`` variables that
    is set (Windows), Application Support (macOS), else ``$xdg`` or its ``default``."""
    import sys

    if sys.platform.startswith("win"):
        base = os.environ.get(windows[0]) or os.environ.get(windows[1]) or os.path.expanduser("~")
        return os.path.join(base, "phrasekit")
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~/Library/Application Support"), "phrasekit")
    return os.path.join(os.environ.get(xdg) or os.path.expanduser(default), "phrasekit")


def config_dir() -> Path:
    """``config_folder()`` as a ``Path``."""
    from pathlib import Path

    return Path(config_folder())


def bank_folder() -> str:
    """The built-in bank: inside the installed package, or ``phrases/`` in a source checkout."""
    here = os.path.dirname(os.path.realpath(__file__))
    installed = os.path.join(here, "phrases")
    if os.path.isfile(os.path.join(installed, "pack.yaml")):
        return installed
    return os.path.join(os.path.dirname(here), "phrases")


def builtin_pack_dir() -> Path:
    """``bank_folder()`` as a ``Path``."""
    from pathlib import Path

    return Path(bank_folder())


def builtin_templates_dir() -> Path:
    """The built-in follow-up templates: inside the installed package, or ``templates/`` in a
    source checkout."""
    from pathlib import Path

    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if installed.is_dir() else here.parent / "templates"
