"""Writing results: plain text for people (colour only on a terminal), JSON for scripts.

Every line for people goes out through ``echo``, which shows any control, bidi or invisible
character in it as ``\\x1b`` or ``<U+202E>`` (``visible.visible``): pack text, case details,
drafts, queries and file names reach the terminal only that way. JSON keeps each value exact
and writes those characters as ``\\u`` escapes."""

from __future__ import annotations

import os
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
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def style(text: str, **styles: Any) -> str:
    """``text`` in colour or bold on a terminal, for ``echo`` (only ``echo`` turns the codes
    into escape sequences, and it shows whatever ``text`` holds)."""
    if not color_enabled():
        return text
    start = click.style("", reset=False, **styles)
    return f"{start.replace(chr(27), _ESC)}{text}{_ESC}[0m"


def echo(message: str = "", *, err: bool = False, nl: bool = True, block: bool = False) -> None:
    """Print ``message`` for people (standard error with ``err``), every character that would
    act on the terminal or hide itself shown (``visible``). One line unless ``block``: a line
    break inside is shown as ``\\n``, so a name or a text cannot split the line it is on."""
    click.echo("\x1b".join(visible(part, block) for part in message.split(_ESC)), err=err, nl=nl)


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
