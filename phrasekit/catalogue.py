"""What is in force, read from the index's catalogue: packs, categories, families, templates and
single phrases. With a current index none of these parses a pack's YAML or scans a folder.

Every function here takes ``paths`` (the ``--path`` folders) and ``warn`` (called with each
problem met on the way, such as a broken pack that was skipped; without it they are issued as
``PhrasekitWarning``), returns plain data, and raises ``PhrasekitError`` subclasses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from .errors import report, warning_text
from .index import recovering

if TYPE_CHECKING:
    from .index import Index
    from .model import Category, Family, Phrase
    from .render import Template

Warn = Callable[[str], None]


def open_index(paths: Sequence[str] = (), warn: Warn | None = None, rebuild: bool = False) -> Index:
    """The index for the packs in force, each problem met loading it given to ``warn``."""
    from .index import load_index

    loaded = load_index(paths, rebuild=rebuild)
    for problem in loaded.problems:
        report(warning_text(problem), warn)
    return loaded.index


def _pack_set(paths: Sequence[str], warn: Warn | None):
    from .packs import load_packs

    pack_set = load_packs(paths)
    for problem in pack_set.problems:
        report(warning_text(problem), warn)
    return pack_set


def _packs_and_categories(paths: Sequence[str], warn: Warn | None) -> tuple[list[dict], list[Category]]:
    catalogue = open_index(paths, warn).catalogue()
    if catalogue is None:  # an index built in memory without them: read the packs
        pack_set = _pack_set(paths, warn)
        return [pack.to_dict() for pack in pack_set.packs], pack_set.categories()
    return catalogue.packs, catalogue.categories


@recovering
def list_packs(*, paths: Sequence[str] = (), warn: Warn | None = None) -> list[dict]:
    """The packs in force: name, title, version, locale, phrase and
    family counts, origin, path and the packs each shadows; the built-in bank first."""
    return _packs_and_categories(paths, warn)[0]


@recovering
def list_categories(*, paths: Sequence[str] = (), warn: Warn | None = None) -> list[Category]:
    """The categories: the built-in steps of the practice in order, then the packs' own."""
    return _packs_and_categories(paths, warn)[1]


@recovering
def list_families(*, paths: Sequence[str] = (), warn: Warn | None = None) -> list[dict]:
    """Each situation family with its sector, phrase count and whether it is sensitive; the
    general phrases of the practice last (``name: "general"``)."""
    from .search import family_counts

    return family_counts(open_index(paths, warn))


def templates_in_force(paths: Sequence[str] = (), warn: Warn | None = None) -> tuple[Index, dict[str, Template]]:
    """The index and the templates by name (a pack's template replacing a built-in one), from
    the catalogue; scanned from the pack folders only for an index that has no catalogue."""
    from .render import load_templates, template_from_row

    index = open_index(paths, warn)
    catalogue = index.catalogue()
    if catalogue is None:
        found, problems = load_templates(_pack_set(paths, warn).packs)
        for problem in problems:
            report(warning_text(problem), warn)
        return index, found
    for problem in catalogue.template_problems:
        report(f"{problem['path']}: {problem['message']}" if problem["path"] else problem["message"], warn)
    return index, {row["name"]: template_from_row(row) for row in catalogue.templates}


@recovering
def list_templates(*, paths: Sequence[str] = (), warn: Warn | None = None) -> list[Template]:
    """The follow-up templates in force: built-in ones, then those packs ship."""
    return list(templates_in_force(paths, warn)[1].values())


@recovering
def show_template(name: str, *, paths: Sequence[str] = (), warn: Warn | None = None) -> Template:
    """One template by name (``NotFoundError`` suggesting close names when there is none)."""
    from .render import find_template

    return find_template(templates_in_force(paths, warn)[1], name)


class ShownPhrase(NamedTuple):
    """A phrase, its family (``None`` for a general phrase) and the case details that fill its
    blanks (empty when none were given)."""

    phrase: Phrase
    family: Family | None
    details: dict

    def to_dict(self) -> dict:
        from .blanks import fill, values_from

        row = self.phrase.to_dict()
        row["filled"] = fill(row["text"], values_from(self.details, row["blanks"]))
        return row


@recovering
def show_phrase(
    phrase_id: str,
    *,
    paths: Sequence[str] = (),
    case_file: str | None = None,
    sets: Iterable[str] = (),
    details: dict | None = None,
    warn: Warn | None = None,
) -> ShownPhrase:
    """One phrase by its full id (``pack/id``) or an unambiguous short id; ``NotFoundError``
    otherwise. ``case_file``, ``sets`` (``KEY=VALUE``) and ``details`` fill its blanks."""
    from .case import case_details

    index = open_index(paths, warn)
    phrase = index.lookup(phrase_id)
    filled = case_details(case_file, sets, details=details, wanted=phrase.blanks)
    family = index.families.get(phrase.family) if phrase.family else None
    return ShownPhrase(phrase, family, filled)
