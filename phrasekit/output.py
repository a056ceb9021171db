"""Writing results: plain text for people (colour only on a terminal), JSON for scripts."""

from __future__ import annotations

import os
import sys
from typing import Any

import click


def color_enabled(stream: Any = None) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def style(text: str, **styles: Any) -> str:
    return click.style(text, **styles) if color_enabled() else text


def echo_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def echo_json_lines(rows: list[dict]) -> None:
    import json

    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


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
