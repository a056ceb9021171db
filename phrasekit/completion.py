"""What the shell completes: template names, categories, pack names and phrase ids, read from the
cached index entry for the packs in force (``index.cached_index``), and the completion script
itself (click's ``shell_completion``).

A Tab press must answer at once and never disturb the line being typed: nothing here builds or
updates an index, parses a pack or prints, and nothing raises. With no cached entry (before the
first search), a broken cache or anything else unexpected, there are simply no items. Commands,
options and fixed choices (``--channel``, ``--kind``) click completes by itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click

    from .index import Index

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_PHRASEKIT_COMPLETE"
"""The variable click's completion protocol reads (``_{PROG}_COMPLETE``)."""


def script(command: click.Command, shell: str) -> str:
    """The completion script for ``shell``: sourced by the shell, it asks ``phrasekit`` itself
    for the items through ``COMPLETE_VAR``."""
    from click.shell_completion import get_completion_class

    return get_completion_class(shell)(command, {}, "phrasekit", COMPLETE_VAR).source()


def _templates(index: Index) -> list[str]:
    catalogue = index.catalogue()
    return [row["name"] for row in catalogue.templates] if catalogue else []


def _categories(index: Index) -> list[str]:
    return list(index.category_names)


def _packs(index: Index) -> list[str]:
    return list(index.pack_names)


def _phrase_ids(index: Index, incomplete: str = "") -> list[str]:
    """Short ids (what a rep types), or ``pack/id`` for a short id more than one pack uses and
    once the rep has typed a ``/``."""
    rows = index.conn.execute("SELECT pack, id FROM phrases ORDER BY doc").fetchall()
    if "/" in incomplete:
        return [f"{pack}/{short}" for pack, short in rows]
    packs_of: dict[str, list[str]] = {}
    for pack, short in rows:
        packs_of.setdefault(short, []).append(pack)
    found = []
    for short, packs in packs_of.items():
        found += [short] if len(packs) == 1 else [f"{pack}/{short}" for pack in packs]
    return found


SOURCES: dict[str, Callable[..., list[str]]] = {
    "templates": _templates,
    "categories": _categories,
    "packs": _packs,
    "phrase_ids": _phrase_ids,
}


def _plain(name: object) -> bool:
    """A name the shell may put on the command line and list: printable (no control or bidi
    character reaches the terminal from a pack's names) and without spaces (bash splits on
    them)."""
    return isinstance(name, str) and name.isprintable() and not any(char.isspace() for char in name)


def items(kind: str, paths: tuple[str, ...], incomplete: str) -> list[str]:
    """The names of ``kind`` (a key of ``SOURCES``) that start with ``incomplete``, in the
    index's order; empty whenever they cannot be read at once."""
    try:
        from .index import cached_index

        index = cached_index(paths)
        if index is None:
            return []
        try:
            source = SOURCES[kind]
            names = source(index, incomplete) if source is _phrase_ids else source(index)
        finally:
            index.conn.close()
        return [name for name in dict.fromkeys(names) if _plain(name) and name.startswith(incomplete)]
    except Exception:  # a damaged entry, an odd path: no items, never a traceback in the shell
        return []
