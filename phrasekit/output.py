"""Writing results: plain text for people (colour only on a terminal), JSON for scripts.

Every line for people goes out through ``echo``, which shows any control, bidi or invisible
character in it as ``\\x1b`` or ``<U+202E>`` (``visible.visible``): pack text, case details,
drafts, queries and file names reach the terminal only that way. JSON keeps each value exact
and writes those characters as ``\\u`` escapes.

On a terminal, ``echo`` also wraps a line at word boundaries to the terminal's width (``wrap``),
continuation lines indented under the column the line's text starts in; piped, written to a file
or captured by a test, nothing is wrapped, so what a script reads never changes."""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import click

from .visible import visible

_ESC = "\ue000" + os.urandom(8).hex() + "\ue001"
"""Stands for ESC in what ``style`` returns, until ``echo`` prints it: ``echo`` shows every
other ESC, and no text from a pack, a case or a draft can hold this (it is drawn anew each run)."""


def color_enabled(stream: Any = None) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    return _is_terminal(stream or sys.stdout)


def style(text: str, **styles: Any) -> str:
    """``text`` in colour or bold on a terminal, for ``echo`` (only ``echo`` turns the codes
    into escape sequences, and it shows whatever ``text`` holds)."""
    if not color_enabled():
        return text
    start = click.style("", reset=False, **styles)
    return f"{start.replace(chr(27), _ESC)}{text}{_ESC}[0m"


def echo(
    message: str = "", *, err: bool = False, nl: bool = True, block: bool = False, hang: int | None = None
) -> None:
    """Print ``message`` for people (standard error with ``err``), every character that would
    act on the terminal or hide itself shown (``visible``). One line unless ``block``: a line
    break inside is shown as ``\\n``, so a name or a text cannot split the line it is on.

    On a terminal a line wider than it is wrapped between words (``wrap``), each continuation
    line indented by ``hang`` columns (default: as far as the line's own indent and list mark,
    ``"   - "``); a table passes the column its last cell starts at. A ``block`` (a rendered
    message, a file) is printed as it is: its line breaks are its own."""
    text = "\x1b".join(visible(part, block) for part in message.split(_ESC))
    if not block and text:
        width = terminal_columns(err)
        if width is not None:
            text = "\n".join(wrap(text, width, hang))
    click.echo(text, err=err, nl=nl)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # no such method, or a closed stream
        return False


def terminal_columns(err: bool = False) -> int | None:
    """The width lines for people may take: the terminal's (``COLUMNS`` when set, through
    ``shutil.get_terminal_size``, which click has imported already), or ``None`` when the
    stream is not a terminal (piped, a file, ``CliRunner``): then nothing is wrapped."""
    if not _is_terminal(sys.stderr if err else sys.stdout):
        return None
    import shutil

    return shutil.get_terminal_size().columns


_STYLE_CODE = re.compile(r"\x1b\[[0-9;]*m")
"""What ``style`` puts in a line: it takes no column. (Any other ESC was shown by ``visible``.)"""


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes: a style code none, a combining mark none, a
    wide or full-width character (Chinese, Japanese, Korean) two, any other character one.
    (``textwrap`` counts characters, which is why ``wrap`` is not built on it.)"""
    if "\x1b" in text:
        text = _STYLE_CODE.sub("", text)
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
               for char in text)  # fmt: skip


_LEAD = re.compile(r" *(?:[-*] |\d+\. )?")
"""A line's own indent and list mark: where its continuation lines start by default."""

MIN_TEXT = 20
"""Columns a continuation line keeps for words, at the least (three or four words): on a narrow
terminal the hanging indent gives way rather than leave a column of one word a line."""


def wrap(line: str, width: int, hang: int | None = None) -> list[str]:
    """``line`` as lines of at most ``width`` columns, broken only where it has spaces, never
    inside a word; a word no line has room for (a long path, a URL) stays where it is and
    overflows rather than being cut. Continuation lines start with ``hang`` spaces (default: the line's indent and list
    mark, ``_LEAD``), fewer when the terminal is too narrow for it (``MIN_TEXT``). A line that
    fits is returned as it is, spaces and all, so a table's padding is kept."""
    if columns(line) <= width:
        return [line]
    if hang is None:
        hang = len(_LEAD.match(line).group())
    hang = max(0, min(hang, width - MIN_TEXT))
    pieces = re.split("( +)", line)  # word, spaces, word, spaces, ..., word
    lines, current = [], pieces[0]
    used, has_word = columns(current), bool(current)
    for at in range(1, len(pieces), 2):
        space, word = pieces[at], pieces[at + 1]
        size = columns(word)
        if word and has_word and used + len(space) + size > width and hang + size <= width:
            lines.append(current)
            current, used = " " * hang + word, hang + size
        else:
            current, used = current + space + word, used + len(space) + size
        has_word = has_word or bool(word)
    lines.append(current)
    return lines


class Progress:
    """The progress of a long step on standard error: one line, rewritten in place (``\\r``)
    and erased when the step ends, so nothing is left of it; never wider than the terminal (a
    line that wraps cannot be rewritten, and leaves a stack of bars). Nothing at all when the
    stream is not a terminal (a log, a pipe), and nothing for fewer than ``least`` items.

    Called as ``progress(done, total)``; a ``with`` block erases it at the end, whatever ends it."""

    BAR = 30
    """Widest bar, in columns: wide enough to move with every 3%, short enough to leave the label
    room on an 80-column terminal."""

    def __init__(self, label: str = "Embedding phrases for semantic search", least: int = 100,
                 stream: Any = None) -> None:  # fmt: skip
        self.label, self.least, self.stream = label, least, stream
        self.frame = ""
        self.started: tuple[float, int] | None = None

    def _target(self) -> Any:
        return self.stream if self.stream is not None else sys.stderr

    def __call__(self, done: int, total: int) -> None:
        if total < self.least or not _is_terminal(self._target()):
            return
        import shutil
        import time

        now = time.monotonic()
        if self.started is None:
            self.started = (now, done)
        frame = self.render(done, total, shutil.get_terminal_size().columns, now)
        if frame != self.frame:
            self._write(f"\r{frame}\x1b[K")
            self.frame = frame

    def render(self, done: int, total: int, width: int, now: float) -> str:
        """One frame: label, bar, percentage, counts and the time left, in ``width - 1`` columns
        (the last column is left free: on some terminals writing it moves the cursor on)."""
        share = min(max(done / total, 0.0), 1.0) if total > 0 else 1.0
        tail = f" {int(share * 100):3d}% {done}/{total}"
        start, first = self.started or (now, done)
        if first < done < total and now > start:
            left = int((now - start) / (done - first) * (total - done))
            tail += f" {left // 60}:{left % 60:02d} left"
        room = width - 1
        bar = min(self.BAR, room - len(self.label) - len(tail) - 3)
        if bar >= 10:
            filled = int(share * bar)
            return f"{self.label} [{'#' * filled}{'-' * (bar - filled)}]{tail}"
        return f"{self.label}{tail}"[: max(room, 0)]

    def _write(self, text: str) -> None:
        stream = self._target()
        try:
            stream.write(text)
            stream.flush()
        except (OSError, ValueError):  # a closed stream: progress is not worth failing for
            pass

    def close(self) -> None:
        """Erase the line (the cursor goes back to where it was before the first frame)."""
        if self.frame:
            self._write("\r\x1b[K")
            self.frame = ""

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(data: Any, indent: int | None = None) -> str:
    """``data`` as JSON, non-ASCII letters as they are, but every character ``echo`` would
    show (a control, a bidi override, a zero-width space) as a ``\\u`` escape: a program reading
    it gets each value exact, and a terminal never gets one raw. (Such characters are only ever
    inside strings, where an escape means the same character.)"""
    import json

    return visible(json.dumps(data, indent=indent, ensure_ascii=False), block=True, show=_json_escape)


def echo_json(data: Any) -> None:
    click.echo(json_text(data, indent=2))


def echo_json_lines(rows: list[dict]) -> None:
    for row in rows:
        click.echo(json_text(row))


def warn(message: str) -> None:
    echo(f"warning: {message}", err=True)


def output_options(json_help: str, lines: bool = False):
    """The shared output options of a read command: ``--json`` (described by ``json_help``) and,
    where a list is printed, ``--nl`` (one JSON object per line). The command receives
    ``as_json`` and ``as_lines``."""

    def decorate(command):
        if lines:
            command = click.option("--nl", "as_lines", is_flag=True, help="One JSON object per line.")(command)
        return click.option("--json", "as_json", is_flag=True, help=json_help)(command)

    return decorate


def echo_rows(rows: list, as_json: bool, as_lines: bool) -> bool:
    """Print ``rows`` as a JSON array (``as_json``) or one object per line (``as_lines``);
    False when neither was asked for, so the caller prints text."""
    if as_json:
        echo_json(rows)
    elif as_lines:
        echo_json_lines(rows)
    return as_json or as_lines
