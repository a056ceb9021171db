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
