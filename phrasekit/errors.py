"""The one error family of phrasekit.

The core raises these and never prints; the CLI turns them into a message and an exit code.
"""

from __future__ import annotations

from typing import NamedTuple


def did_you_mean(word: str, choices) -> str:
    """``"; did you mean 'apology'?"`` when one of ``choices`` is close to ``word``, else ``""``:
    the tail of a message about a mistyped name."""
    import difflib

    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class Location(NamedTuple):
    """Where a problem is: a file and, when known, a 1-based line and column."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        from .visible import visible

        text = visible(self.path)  # a file name may hold anything but '/' (a line break, an ESC)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


class Finding(NamedTuple):
    """One problem found in a user's file, reported as ``FILE:LINE:COL: message``."""

    location: Location
    message: str
    soft: bool = False
    """Reported by ``packs validate`` but not a reason to refuse the pack (an unknown blank)."""

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def to_dict(self) -> dict:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "message": self.message,
        }


class PhrasekitError(Exception):
    """A problem the user can fix: it carries where it is and what to do."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        location: Location | None = None,
        hint: str | None = None,
        findings: list[Finding] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint
        self.findings = list(findings or [])

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        for finding in self.findings:
            text += f"\n  {finding}"
        if self.hint:
            text += f"\n{self.hint}"
        return text


class YamlFileError(PhrasekitError):
    """A YAML or JSON file that cannot be read: encoding, syntax, tabs, unsafe tags."""


class PackError(PhrasekitError):
    """A pack that cannot be loaded; ``findings`` lists every problem in it."""


class NotFoundError(PhrasekitError):
    """An id, pack or template the user named does not exist."""


class UnknownNameError(NotFoundError):
    """A category or pack named in a filter that is not in force; ``option`` is the option
    that named it (``--category``), so the CLI reports it as that option's bad value."""

    def __init__(self, message: str, option: str) -> None:
        super().__init__(message)
        self.option = option


class SemanticUnavailable(PhrasekitError):
    """Semantic ranking was demanded but cannot run here."""


class PhrasekitWarning(UserWarning):
    """A problem met on the way that did not stop the call (a broken pack skipped); the core
    functions give it to their ``warn`` callback, or else issue it as this warning."""


def warning_text(problem: PhrasekitError) -> str:
    """A problem met loading the packs in force, as one line for the rep."""
    where = problem.location.path if problem.location else ""
    first = f"; first: {problem.findings[0]}" if problem.findings else ""
    if not isinstance(problem, PackError):  # a template, say: it says what is wrong with it too
        return f"{where}: {problem.message}{first}" if where else f"{problem.message}{first}"
    return f"skipped {where}: {problem.message}{first} (check it with 'phrasekit packs validate {where}')"


def report(message: str, warn=None) -> None:
    """Give a warning to ``warn(message)``, or issue it as a ``PhrasekitWarning``."""
    if warn is not None:
        warn(message)
        return
    import warnings

    warnings.warn(message, PhrasekitWarning, stacklevel=3)
