"""Putting a phrase on the rep's clipboard: the system's clipboard tool where one is reachable,
else the terminal's own clipboard through the OSC 52 sequence (which works over SSH and in tmux).

The tools are tried in order (``TOOLS``), each run without a shell with the text on its standard
input, exactly as given: no trailing newline is added (one the text ends in is dropped), so a
paste ends where the phrase does. A tool that is missing, fails or hangs is passed over for the
next. What is copied may hold no control character (but tab and line feed), bidi control or
line separator: such a character is refused, not stripped, since a text that a rep sends must
never be silently changed, and one pasted into a terminal or a form could act or hide there.
Packs may not hold them (``validate.character_findings``), so only a filled-in blank (a case
detail, a ``--set`` value) can bring one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from .errors import PhrasekitError

if TYPE_CHECKING:
    from .history import HistoryEntry


class Tool(NamedTuple):
    """A clipboard program: its name, its arguments, the environment variable that must be set
    for it to reach a clipboard (``None``: none needed) and how it wants the text encoded."""

    name: str
    args: tuple[str, ...]
    needs: str | None = None
    encoding: str = "utf-8"


TOOLS = (
    Tool("wl-copy", (), "WAYLAND_DISPLAY"),
    Tool("xclip", ("-selection", "clipboard"), "DISPLAY"),
    Tool("xsel", ("--clipboard", "--input"), "DISPLAY"),
    Tool("pbcopy", ()),
    Tool("clip.exe", (), encoding="utf-16"),
)
"""Wayland's, then X11's (xclip, xsel), then macOS's, then Windows' (also reached from WSL).
``clip.exe`` reads anything but UTF-16 in the console's code page, so it is given UTF-16 with
its byte-order mark (Python's ``utf-16`` codec writes one), which it reads as Unicode."""

TOOL_TIMEOUT = 5.0
"""Seconds a clipboard tool may take: each hands the text to a clipboard owner and returns at
once (xclip and wl-copy leave a process behind that serves it), so one still running after
this is stuck (an X server that does not answer) and the next way is tried."""

OSC52 = "OSC 52"

INSTALL_HINT = (
    "Install a clipboard tool (wl-clipboard on Wayland, xclip or xsel on X11; macOS and Windows have "
    "one), or run phrasekit in a terminal, where the terminal's clipboard is used (OSC 52); "
    "or leave out --copy and copy the text printed."
)


def destination(where: str) -> str:
    """Where ``copy`` put the text, in words: "the clipboard (xclip)", "the terminal's clipboard (OSC 52)"."""
    return "the terminal's clipboard (OSC 52)" if where == OSC52 else f"the clipboard ({where})"


def message(where: str) -> str:
    """What the rep is told on standard error once the phrase went ``where``."""
    return f"{'Sent' if where == OSC52 else 'Copied'} to {destination(where)}."


def refused(text: str) -> None:
    """``PhrasekitError`` when ``text`` holds a character no copied text may hold (see above)."""
    from .visible import breaks_text, describe

    bad = next((char for char in text if breaks_text(char)), None)
    if bad is not None:
        raise PhrasekitError(f"the phrase holds {describe(bad)}, which no text sent to a customer may hold; "
                             "not copied", hint="It came from a filled blank (a case detail or a --set value): "
                             "remove it there.")  # fmt: skip


def osc52(text: str, tmux: bool = False) -> bytes:
    """The OSC 52 sequence that asks the terminal to put ``text`` on its clipboard (base64, so
    nothing in it can end the sequence early); inside tmux wrapped so tmux passes it on."""
    import base64

    sequence = "\x1b]52;c;" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "\x07"
    if tmux:
        sequence = "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence.encode("ascii")


def _open_terminal() -> BinaryIO | None:
    """The controlling terminal, for writing; ``None`` when the process has none (a job run by
    cron, a CI runner)."""
    try:
        handle = os.open("/dev/tty", os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    return open(handle, "wb", buffering=0)


def _run(tool: Tool, path: str, data: bytes) -> bool:
    import subprocess

    try:
        done = subprocess.run([path, *tool.args], input=data, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=TOOL_TIMEOUT, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def copy(text: str, *, terminal: BinaryIO | None = None, tools: Sequence[Tool] = TOOLS) -> str:
    """Put ``text`` on the clipboard; returns where it went: the tool's name (``"xclip"``) or
    ``OSC52`` (written to ``terminal``, by default the controlling terminal). ``PhrasekitError``
    (exit 2) when the text holds a refused character, or when no tool and no terminal is
    reachable (the hint says what to install)."""
    import shutil

    text = text.rstrip("\n")
    refused(text)
    for tool in tools:
        if tool.needs is not None and not os.environ.get(tool.needs):
            continue
        path = shutil.which(tool.name)
        if path is None:
            continue
        data = text.encode(tool.encoding)
        if _run(tool, path, data):
            return tool.name
    stream = terminal if terminal is not None else _open_terminal()
    if stream is None:
        raise PhrasekitError("no clipboard is reachable here: no clipboard tool and no terminal", hint=INSTALL_HINT)
    try:
        stream.write(osc52(text, tmux=bool(os.environ.get("TMUX"))))
        stream.flush()
    except OSError as error:
        raise PhrasekitError(f"cannot write to the terminal: {error.strerror or error}", hint=INSTALL_HINT) from None
    finally:
        if terminal is None:
            stream.close()
    return OSC52


class Taken(NamedTuple):
    """A phrase the rep took: where it went, what the rep is told, and its history entry
    (``None`` when it was not recorded: history off, or its file unusable, said by ``warn``)."""

    where: str
    message: str
    entry: HistoryEntry | None
    history_on: bool


def take(full_id: str, text: str, *, terminal: BinaryIO | None = None,
         warn: Callable[[str], None] | None = None) -> Taken:  # fmt: skip
    """Copy ``text`` (the phrase ``full_id``, its blanks filled) and record the phrase in the
    history; ``PhrasekitError`` as for ``copy``, and then nothing is recorded."""
    from . import history

    where = copy(text, terminal=terminal)
    on = history.enabled()
    entry = history.record(full_id, warn=warn) if on else None
    return Taken(where, message(where), entry, on)
