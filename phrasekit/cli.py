"""The command line: parse arguments, call the core, print. Core modules are imported lazily."""

from __future__ import annotations

import os
import sys

import click

from . import __version__
from .channels import LIMITS, PUBLIC
from .channels import NAMES as CHANNELS
from .errors import Location, PhrasekitError
from .output import Progress as _Progress  # one line on a terminal, erased when done; none elsewhere
from .output import echo, output_options

CHANNEL_CHOICE = click.Choice(CHANNELS)


class UserError(click.ClickException):
    """A ``PhrasekitError`` at the edge: printed without a traceback, exit code 2."""

    exit_code = 2

    def __init__(self, error: PhrasekitError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code


def _shown(error: click.ClickException) -> click.ClickException:
    """A click error as it may be printed: what it quotes (an argument, a file name, a pack's
    text) with every control or invisible character shown (``visible``); click prints it."""
    from .visible import visible

    error.message = visible(error.message or "", block=True)
    if isinstance(error, click.FileError):
        error.ui_filename = visible(error.ui_filename)
    return error


class PhrasekitGroup(click.Group):
    """Turns the project's errors into clean messages; ``PHRASEKIT_DEBUG=1`` shows tracebacks."""

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as error:  # a bad top-level option (--path) quoting what was typed
            raise _shown(error) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PhrasekitError as error:
            raise _shown(UserError(error)) from None
        except click.ClickException as error:
            raise _shown(error) from None
        except (click.exceptions.Exit, click.exceptions.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            sys.stderr.close()
            raise click.exceptions.Exit(0) from None
        except OSError as error:  # the system refused a file or folder: the user's to fix, not a bug
            from .packs import shown

            where = Location(shown(error.filename)) if error.filename else None
            raise UserError(PhrasekitError(f"cannot use this file or folder: {error.strerror or error}", where,
                                           hint=_os_hint(error.filename))) from None  # fmt: skip
        except Exception as error:
            if os.environ.get("PHRASEKIT_DEBUG"):
                raise
            echo(f"Error: unexpected {type(error).__name__}: {error}", err=True)
            echo("This is a bug in phrasekit; run again with PHRASEKIT_DEBUG=1 to see the traceback.", err=True)
            raise click.exceptions.Exit(3) from None


def _os_hint(filename: object) -> str:
    """What to do about a file the system refused: when it is in phrasekit's config or cache
    folder, the variable that put it there is named (a file name too long for the system there
    comes from that variable, not from anything typed)."""
    from .folders import config_folder
    from .index import cache_folder

    name = os.fsdecode(filename) if isinstance(filename, (str, bytes)) else ""
    folders = (("XDG_CONFIG_HOME", config_folder(), "config"), ("XDG_CACHE_HOME", cache_folder(), "cache"))
    for variable, folder, what in folders:
        if name and (name == folder or name.startswith(folder.rstrip(os.sep) + os.sep)):
            if os.environ.get(variable):
                return f"It is in phrasekit's {what} folder, set by {variable}; point {variable} at a usable folder."
            return f"It is in phrasekit's {what} folder, {folder}; check that folder (or set {variable})."
    return "Check the name and its permissions."


class FolderPath(click.Path):
    """``click.Path`` that says why a folder cannot be used: a link loop, a name too long for
    the system and a folder that cannot be searched are not "does not exist"."""

    def convert(self, value, param, ctx):
        import errno

        try:
            os.stat(value)
        except OSError as error:
            if error.errno not in (errno.ENOENT, errno.ENOTDIR):
                from .packs import shown

                self.fail(f"{self.name.capitalize()} {shown(value)!r} cannot be used: {error.strerror}.", param, ctx)
        return super().convert(value, param, ctx)


def _paths(ctx: click.Context) -> tuple[str, ...]:
    return (ctx.find_root().obj or {}).get("paths", ())


def _situation(words: tuple[str, ...]) -> str:
    """The situation as typed; ``-`` reads it from standard input."""
    query = " ".join(words)
    if query.strip() == "-":
        from .files import read_input

        query, _ = read_input("-", "the situation")
    if not query.strip():
        raise click.UsageError("the situation is empty; say what is happening, e.g. 'refund not received'")
    return query


def _phrase_text(text: str, details: dict) -> str:
    """A phrase as a rep reads it: blanks filled from the case details, the rest as ``[when]``
    (bold on a terminal)."""
    from .blanks import fill, names, values_from
    from .output import style

    if "{" not in text and "}" not in text:
        return text
    return fill(text, values_from(details, names(text)), lambda name: style(f"[{name}]", bold=True))


def _semantic_errors(call):
    """Run a core call, a demanded but unavailable semantic ranking becoming a usage error."""
    from .errors import SemanticUnavailable

    try:
        return call()
    except SemanticUnavailable as error:
        raise click.UsageError(error.message) from None


def _warn(message: str) -> None:
    from .output import warn

    warn(message)


def _complete(kind: str):
    """A ``shell_complete`` callback naming the ``kind`` of items (``completion.SOURCES``);
    the completion module is imported only when the shell asks."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        from .completion import items

        return items(kind, tuple(ctx.find_root().params.get("paths") or ()), incomplete)

    return complete


def copy_option(help_text: str):
    """``--copy``: the phrase onto the clipboard (or the terminal's), and into the history."""
    return click.option("--copy", "copy", is_flag=True, help=help_text)


def _warn_once():
    """A ``warn`` that says each message once (the history may be read twice by one command)."""
    said: set[str] = set()

    def warn(message: str) -> None:
        if message not in said:
            said.add(message)
            _warn(message)

    return warn


def _take(phrase, details: dict, warn) -> None:
    """Copy ``phrase`` with its blanks filled from ``details``, remember it, and say where it went."""
    from .blanks import fill, values_from
    from .clipboard import take

    values = values_from(details, phrase.blanks)
    taken = take(phrase.full_id, fill(phrase.text, values), warn=warn)
    echo(taken.message, err=True)
    missing = [name for name in phrase.blanks if name not in values]
    if missing:
        sets = " ".join(f"--set {name}=..." for name in missing)
        echo(f"Not filled: {', '.join(f'[{name}]' for name in missing)}; fill it in after pasting, or pass {sets}.",
             err=True)  # fmt: skip
    if not taken.history_on:
        echo("History is off (history: false in the config): nothing recorded.", err=True)


def blank_options(command):
    """``--set KEY=VALUE`` and ``--case FILE``: the details that fill blanks (and, for script,
    the names)."""
    command = click.option("--case", "case_file", type=click.Path(dir_okay=False),
                           help="A case file (YAML or JSON) whose details fill the blanks.")(command)  # fmt: skip
    return click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
                        help="Fill a blank: --set when='by 5 pm today' (repeatable).")(command)  # fmt: skip


def ranking_options(command):
    """``--lexical`` / ``--semantic``: keywords only, or semantic ranking demanded."""
    command = click.option("--semantic", "mode", flag_value="semantic",
                           help="Demand semantic ranking (exit 2 with the reason when it is not available)."
                           )(command)  # fmt: skip
    return click.option("--lexical", "mode", flag_value="lexical",
                        help="Keywords only, even when semantic ranking is on.")(command)  # fmt: skip


@click.group(cls=PhrasekitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="phrasekit")
@click.option(
    "--path",
    "paths",
    multiple=True,
    metavar="DIR",
    type=FolderPath(exists=True, file_okay=False),
    help="Also load the pack in DIR (or the packs in its subfolders). Repeatable.",
)
@click.pass_context
def cli(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Find the right words for an upset customer, offline.

    \b
    Examples:
      phrasekit search "pkg marked delivered, never came, 3rd call"
      phrasekit search -c apology double charge
      phrasekit show builtin/sorry-core
      phrasekit --path ./team-pack search refund delay
    """
    ctx.obj = {"paths": paths}


@cli.command()
@click.argument("situation", nargs=-1, required=True)
@click.option("-c", "--category", "categories", multiple=True, shell_complete=_complete("categories"),
              help="Only this category (repeatable).")  # fmt: skip
@click.option("--channel", type=CHANNEL_CHOICE, help="Only phrases that fit this channel.")
@click.option("--pack", "packs", multiple=True, metavar="NAME", shell_complete=_complete("packs"),
              help="Only phrases from this pack (repeatable).")  # fmt: skip
@click.option("-n", "--limit", default=5, show_default=True, type=click.IntRange(1, 1000), help="How many phrases.")
@output_options("A JSON array of results.", lines=True)
@click.option("--text", "text_only", is_flag=True, help="Only the phrase texts, one per line.")
@copy_option("Copy the first phrase (its blanks filled) to the clipboard and remember it.")
@blank_options
@ranking_options
@click.pass_context
def search(ctx, situation, categories, channel, packs, limit, as_json, as_lines, text_only, copy, sets, case_file,
           mode):  # fmt: skip
    """Find phrases for a SITUATION, as you would type it; typos and shorthand are fine.

    Pass - to read the situation (say, a customer's whole message) from standard input.
    A commitment in a phrase is a blank, shown as [when]: fill it with --set when="by 5 pm".
    When no phrases are written for the exact situation, the general ones of the practice come
    instead, and say so. Exit code 1 when the text is not a customer-service situation at all.

    \b
    Examples:
      phrasekit search pkg marked delivered never came 3rd call
      phrasekit search -c apology -n 3 late delivery
      phrasekit search --channel social --json "public complaint on twitter"
      phrasekit search --set when="by 5 pm today" -c follow-up lost package
      phrasekit search --copy double charge
      pbpaste | phrasekit search -
    """
    from .errors import UnknownNameError
    from .output import echo_rows, style
    from .search import search as search_phrases

    query = _situation(situation)
    warn = _warn_once()  # the history is read by the search and again by --copy: one warning
    try:
        with _Progress() as progress:
            result = _semantic_errors(lambda: search_phrases(
                query, paths=_paths(ctx), limit=limit, categories=categories, channel=channel, packs=packs,
                mode=mode, case_file=case_file, sets=sets, progress=progress, warn=warn))  # fmt: skip
    except UnknownNameError as error:
        raise click.BadParameter(error.message, param_hint=f"'{error.option}'") from None
    hits, details = result.hits, result.details
    if result.fallback and not (as_json or as_lines):
        echo("No phrases for this exact situation; general ones:", err=True)
    if echo_rows(result.rows(), as_json, as_lines):
        pass
    elif text_only:
        for hit in hits:
            echo(_phrase_text(hit.phrase.text, details))
    elif hits:
        for number, hit in enumerate(hits):
            if number:
                echo()
            echo(f"{style(hit.phrase.category, fg='cyan', bold=True)}  {style(hit.phrase.full_id, dim=True)}")
            echo(f"  {_phrase_text(hit.phrase.text, details)}")
    if copy and hits:
        _take(hits[0].phrase, details, warn)
    if not hits:
        if not (as_json or as_lines):
            echo("No phrase matches that well enough. Try other words, or 'phrasekit categories'.", err=True)
        ctx.exit(1)


@cli.command()
@click.argument("situation", nargs=-1)
@click.option("-c", "--category", help="Start with this category filter (Tab cycles it).")
@click.option("--channel", type=CHANNEL_CHOICE, help="Start with this channel (Ctrl-L cycles it).")
@click.option("--print", "print_only", is_flag=True, help="Print the phrase taken instead of copying it.")
@blank_options
@click.pass_context
def pick(ctx, situation, category, channel, print_only, sets, case_file):
    """Pick a phrase live: type the SITUATION, watch the phrases narrow with every key, take one.

    Enter copies the phrase (to the system clipboard, else through the terminal), Ctrl-O or
    --print prints it; its blanks are asked for first, prefilled from --case and --set. Esc
    leaves with nothing (exit code 1), Ctrl-C too (exit code 130). Not on a terminal it prints
    the best phrase, as search -n 1 --text does.

    \b
    Examples:
      phrasekit pick
      phrasekit pick parcel never came
      phrasekit pick --case case.yaml --print double charge
    """
    if not _is_interactive():
        ctx.invoke(search, situation=situation, categories=(category,) if category else (), channel=channel,
                   packs=(), limit=1, as_json=False, as_lines=False, text_only=True, sets=sets, case_file=case_file,
                   mode=None)  # fmt: skip
        return
    from .errors import UnknownNameError
    from .pick import pick as run_pick

    # A warning (a pack skipped) said while the screen is up would be drawn over: each is said
    # once the picker has closed, however it closed.
    warnings: list[str] = []
    try:
        picked = run_pick(" ".join(situation), paths=_paths(ctx), category=category, channel=channel,
                          case_file=case_file, sets=sets, print_only=print_only,
                          warn=warnings.append)  # fmt: skip
    except UnknownNameError as error:
        raise click.BadParameter(error.message, param_hint=f"'{error.option}'") from None
    finally:
        for message in dict.fromkeys(warnings):
            _warn(message)
    if picked.how in ("leave", "interrupt"):
        ctx.exit(1 if picked.how == "leave" else 130)
    if picked.how == "print":
        echo(picked.text, block=True)
    else:
        echo(f"Copied {picked.phrase_id} to {picked.where}.", err=True)


@cli.command()
@click.argument("phrase_id", metavar="ID", shell_complete=_complete("phrase_ids"))
@output_options("The phrase as a JSON object.")
@click.option("--text", "text_only", is_flag=True, help="Only the phrase's text (its blanks filled), nothing else.")
@copy_option("Copy the phrase (its blanks filled) to the clipboard and remember it.")
@blank_options
@click.pass_context
def show(ctx, phrase_id, as_json, text_only, copy, sets, case_file):
    """Show one phrase by its full id (pack/id) or an unambiguous short id.

    \b
    Examples:
      phrasekit show builtin/sorry-core
      phrasekit show lost-package-follow-up --set when="by Friday noon" --set channel="by phone"
      phrasekit show --copy builtin/sorry-core
    """
    from .blanks import STANDARD
    from .catalogue import show_phrase
    from .output import echo_json, style

    shown = show_phrase(phrase_id, paths=_paths(ctx), case_file=case_file, sets=sets, warn=_warn)
    phrase, family = shown.phrase, shown.family
    if copy:
        _take(phrase, shown.details, _warn)
    if as_json:
        echo_json(shown.to_dict())
        return
    if text_only:  # a whole reply (an imported macro) keeps its paragraphs
        echo(_phrase_text(phrase.text, shown.details), block=True)
        return
    echo(style(phrase.full_id, bold=True))
    echo(_phrase_text(phrase.text, shown.details), block="\n" in phrase.text)
    echo()
    rows = [
        ("category", phrase.category),
        ("family", f"{family.name}: {family.title}" if family else "general" if phrase.general else "-"),
        (
            "blanks",
            ", ".join(f"{{{b}}} {STANDARD[b].help}" if b in STANDARD else f"{{{b}}}" for b in phrase.blanks) or "-",
        ),
        ("situations", ", ".join(phrase.situations) or "-"),
        ("tags", ", ".join(phrase.tags) or "-"),
        ("channels", ", ".join(phrase.channels) or "all"),
        ("tone", phrase.tone or "-"),
        ("source", f"{phrase.source}:{phrase.line}" if phrase.line else phrase.source),
    ]
    for label, value in rows:
        echo(f"{style(f'{label}:'.ljust(11), dim=True)} {value}", hang=12)


@cli.command()
@output_options("A JSON array of categories.", lines=True)
@click.pass_context
def categories(ctx, as_json, as_lines):
    """List the phrase categories: the steps of the practice and what each is for.

    \b
    Example:
      phrasekit categories
    """
    from .catalogue import list_categories
    from .output import echo_rows, style

    found = list_categories(paths=_paths(ctx), warn=_warn)
    if echo_rows([category.to_dict() for category in found], as_json, as_lines):
        return
    width = max(len(category.name) for category in found)
    for category in found:
        step = f"step {category.step}" if category.step else (category.pack or "")
        echo(f"{style(category.name.ljust(width), fg='cyan', bold=True)}  {step:<8} {category.description}",
             hang=width + 11)  # fmt: skip
        if category.guidance:
            echo(f"{'':{width}}  {'':<8} {style(category.guidance, dim=True)}")


@cli.command()
@output_options("A JSON array of families.", lines=True)
@click.pass_context
def families(ctx, as_json, as_lines):
    """List the situation families: what happened, its sector, how many phrases, and whether it
    is a sensitive moment (its words are never mixed with another family's).

    \b
    Example:
      phrasekit families
    """
    from .catalogue import list_families
    from .output import echo_rows, style

    rows = list_families(paths=_paths(ctx), warn=_warn)
    if echo_rows(rows, as_json, as_lines):
        return
    width = max((len(row["name"]) for row in rows), default=0)
    for row in rows:
        mark = " (sensitive)" if row["sensitive"] else ""
        echo(f"{style(row['name'].ljust(width), bold=True)}  {row['sector']:<11} {row['phrases']:>3}  "
             f"{row['title']}{mark}", hang=width + 19)  # fmt: skip


@cli.group(invoke_without_command=True)
@click.option("-n", "--limit", type=click.IntRange(1), help="Only the first N phrases.")
@output_options("A JSON array of the phrases.", lines=True)
@click.pass_context
def history(ctx, limit, as_json, as_lines):
    """The phrases you took (search --copy, show --copy) and starred: starred first, then by
    how often and how lately you used each. Kept on this machine only, in phrasekit's data
    folder; 'history: false' in the config turns it off.

    \b
    Examples:
      phrasekit history
      phrasekit history star builtin/sorry-core
      phrasekit history clear
    """
    if ctx.invoked_subcommand is not None:
        return
    from .history import enabled, listed
    from .output import echo_rows, style

    if not enabled():
        echo("History is off (history: false in the config): nothing is recorded or used.", err=True)
    rows = listed(paths=_paths(ctx), limit=limit, warn=_warn)
    if echo_rows([{**entry.to_dict(), "category": phrase.category, "text": phrase.text} for entry, phrase in rows],
                 as_json, as_lines):  # fmt: skip
        return
    if not rows:
        echo("No phrases in the history yet: search --copy and show --copy remember the phrases you take.", err=True)
    width = max((len(phrase.full_id) for _, phrase in rows), default=0)
    for entry, phrase in rows:
        mark = style("*", fg="yellow", bold=True) if entry.starred else " "
        echo(f"{mark} {entry.uses:>4}x  {_when(entry.last_used):<16}  {style(phrase.full_id.ljust(width), dim=True)}  "
             f"{_shortened(phrase.text)}")  # fmt: skip


HISTORY_TEXT = 60
"""Characters of a phrase's text on a history line: the id and the start of the text fit a
terminal's 120 columns beside the uses and the date."""


def _when(moment: float | None) -> str:
    import time

    return "never" if moment is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(moment))


def _shortened(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= HISTORY_TEXT else line[: HISTORY_TEXT - 3].rstrip() + "..."


@history.command("clear")
def history_clear():
    """Forget every phrase in the history (starred ones too).

    \b
    Example:
      phrasekit history clear
    """
    from .history import clear

    count = clear()
    echo(f"Forgot {count} phrase(s)." if count else "The history is empty.")


@history.command("star")
@click.argument("phrase_id", metavar="ID")
@click.pass_context
def history_star(ctx, phrase_id):
    """Star the phrase ID: starred phrases come first in the history and the picker.

    \b
    Example:
      phrasekit history star builtin/sorry-core
    """
    _star(ctx, phrase_id, True)


@history.command("unstar")
@click.argument("phrase_id", metavar="ID")
@click.pass_context
def history_unstar(ctx, phrase_id):
    """Take the star off the phrase ID.

    \b
    Example:
      phrasekit history unstar builtin/sorry-core
    """
    _star(ctx, phrase_id, False)


def _star(ctx, phrase_id: str, on: bool) -> None:
    from .history import star_phrase

    starred = star_phrase(phrase_id, on, paths=_paths(ctx), warn=_warn_once())
    if starred.off:
        echo("History is off (history: false in the config): nothing is recorded.", err=True)
    elif starred.entry is not None:
        echo(f"{'Starred' if on else 'Unstarred'} {starred.full_id}.", err=True)
    elif not on:
        echo(f"{starred.full_id} was not starred.", err=True)


@cli.group()
def packs():
    """List, check and create phrase packs."""


@packs.command("list")
@output_options("A JSON array of packs.", lines=True)
@click.pass_context
def packs_list(ctx, as_json, as_lines):
    """List the packs in force: name, version, phrase count and where each came from.

    \b
    Example:
      phrasekit --path ./team-pack packs list
    """
    from .catalogue import list_packs
    from .output import echo_rows, style

    found = list_packs(paths=_paths(ctx), warn=_warn)
    if echo_rows(found, as_json, as_lines):
        return
    for pack in found:
        version = pack["version"] or "-"
        echo(f"{style(pack['name'], bold=True)}  {version}  {pack['phrases']} phrases  {pack['origin']}: "
             f"{pack['path']}", hang=2)  # fmt: skip
        for shadowed in pack["shadows"]:
            echo(f"  shadows {shadowed}")


@packs.command("validate")
@click.argument("paths", nargs=-1, required=True, type=FolderPath(exists=True))
@output_options("A JSON array, one object per pack with its findings.", lines=True)
@click.option(
    "--strict",
    is_flag=True,
    help="Also hold the phrases to the practice: no hard-coded times or remedies, no blame, no assumed "
    "facts, channel lengths, near-duplicates, every step for each family.",
)
def packs_validate(paths, as_json, as_lines, strict):
    """Check packs and report every problem as FILE:LINE:COLUMN: message.

    Exit code 0 when every pack is clean, 2 when any has a problem.

    \b
    Example:
      phrasekit packs validate ./team-pack
      phrasekit packs validate --strict ./team-pack
    """
    from .output import echo_rows
    from .packs import validate_packs

    reports = validate_packs(paths, strict=strict)
    if not echo_rows([report.to_dict() for report in reports], as_json, as_lines):
        for report in reports:
            for finding in report.findings:
                echo(str(finding), hang=2)
            if report.ok:
                pack = report.pack
                families = f", {len(pack.families)} families" if pack.families else ""
                echo(f"ok: {report.path}: pack {pack.name!r}, {len(pack.phrases)} phrases{families}")
            else:
                echo(f"{report.path}: {len(report.findings)} problem(s)", err=True)
    if not all(report.ok for report in reports):
        sys.exit(2)


@packs.command("new")
@click.argument("name")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing pack.yaml.")
def packs_new(name, directory, force):
    """Create a valid, commented starter pack NAME in DIRECTORY (default: ./NAME).

    \b
    Example:
      phrasekit packs new acme-support
      phrasekit --path ./acme-support search "late delivery"
    """
    from .scaffold import new_pack

    target = new_pack(name, directory or name, force=force)
    echo(f"Created {target}")
    echo(f"Check it with: phrasekit packs validate {target.parent}")
    echo(f"Search it with: phrasekit --path {target.parent} search late delivery")


@cli.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(("zendesk", "csv", "chatwoot", "espanso")))
@click.argument("files", metavar="FILE...", nargs=-1, required=True)
@click.option(
    "--into",
    "into",
    required=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="The pack folder to write (made if it does not exist; an existing pack gains the replies).",
)
@click.option("--name", help="The new pack's name (default: from the folder's name).")
@click.option("-c", "--category", help="Give every reply this category instead of guessing it.")
@click.option("--include-inactive", is_flag=True, help="Import replies the tool marks inactive too.")
@click.option(
    "--as",
    "source_name",
    metavar="NAME",
    help="Name this source in the pack (phrases/NAME.yaml; default: the format), to keep two apart.",
)
@click.option("--prefix", help="espanso: the start of a trigger to leave out of the phrase id (default :pk-).")
@click.option("--force", is_flag=True, help="Take the export's words over phrases edited since the last import.")
@output_options("What was imported, as a JSON object.")
def import_command(fmt, files, into, name, category, include_inactive, source_name, prefix, force, as_json):
    """Turn a team's canned replies into a phrasekit pack.

    FORMAT is zendesk (a macros export, {"macros": [...]}; give every page), csv (title or name,
    text or content, optional category and keywords or tags; comma or semicolon: Zammad text
    modules, Help Scout saved replies, spreadsheets), chatwoot (canned responses) or espanso (a
    match file). Placeholders become blanks (the customer's first name is {customer}, the
    agent's {agent}, the ticket number {reference}); what phrasekit cannot know is listed at the
    end and in DIR/imports/FORMAT-report.txt. Nothing is written unless the pack validates.

    \b
    Examples:
      phrasekit import zendesk macros.json --into acme
      phrasekit import csv modules.csv --into acme --as zammad
      phrasekit --path acme search "refund issued"
    """
    from .interop import import_replies
    from .output import echo_json

    result = import_replies(fmt, list(files), into, name=name, category=category, force=force,
                            include_inactive=include_inactive, prefix=prefix, source_name=source_name)  # fmt: skip
    if as_json:
        echo_json(result.to_dict())
        return
    for line in result.report.splitlines()[1:]:  # its first line is the command just typed
        echo(line)  # each wrapped to the terminal, under its own indent
    echo("")
    echo(f"Wrote {result.phrases_file}" + (" and pack.yaml" if result.created_pack else ""))
    echo(f"Report: {result.report_file}")
    echo(f"Search it with: phrasekit --path {result.folder} search ...")


@cli.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(("espanso", "csv", "zendesk", "chatwoot", "json")))
@click.option(
    "--pack",
    "pack",
    required=True,
    metavar="NAME",
    shell_complete=_complete("packs"),
    help="The pack to export (one in force: see phrasekit packs list).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (default: standard output).")
@click.option("--prefix", help="espanso: how each trigger starts (default :pk-, so :pk-<id>).")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
@click.pass_context
def export_command(ctx, fmt, pack, output, prefix, force):
    """Write a pack for another tool: espanso (a match file: each phrase a trigger, each blank a
    form field), csv, zendesk (a macros JSON body for the API), chatwoot (canned responses) or
    json (the whole pack, for scripts). Blanks are written in each tool's own placeholders.

    \b
    Examples:
      phrasekit --path acme export espanso --pack acme -o acme.yml
      phrasekit export csv --pack builtin > bank.csv
    """
    from .interop import export_pack, write_export

    text = export_pack(fmt, pack, paths=_paths(ctx), prefix=prefix, warn=_warn)
    if output and output != "-":
        write_export(text, output, force=force)
        echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@cli.group()
def index():
    """Show and manage the compiled search index (a cache; safe to delete)."""


@index.command("status")
@output_options("The status as a JSON object.")
@click.pass_context
def index_status_command(ctx, as_json):
    """Where the index is, whether it is current for the packs in force, and what it holds.

    \b
    Example:
      phrasekit index status
    """
    from .index import index_status
    from .output import echo_json

    status = index_status(_paths(ctx))
    if as_json:
        echo_json(status)
        return
    echo(f"path:    {status['path']}")
    echo(f"state:   {status['state']}")
    if status.get("phrases") is not None:
        echo(f"phrases: {status['phrases']} in {len(status['packs'])} pack(s): {', '.join(status['packs'])}", hang=9)
        echo(f"size:    {status['size']} bytes")
    entries = status["entries"]
    if entries:
        total = sum(entry["size"] or 0 for entry in entries)
        count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
        echo(f"cache:   {count}, {total} bytes, most recently used first")
        for entry in entries:
            mark = "*" if entry["in_force"] else " "
            held = "unreadable"
            if entry["phrases"] is not None:
                held = f"{entry['phrases']} phrases: {', '.join(entry['packs'])}"
            echo(f"  {mark} {os.path.basename(entry['path'])}  used {entry['used']}  {held}")


@index.command("rebuild")
@click.pass_context
def index_rebuild(ctx):
    """Build the index now from the packs in force (search does this by itself when needed).

    \b
    Example:
      phrasekit --path ./team-pack index rebuild
    """
    from .catalogue import open_index

    built = open_index(_paths(ctx), _warn, rebuild=True)
    where = "in memory only (the cache folder cannot be written)" if built.path == ":memory:" else built.path
    echo(f"Indexed {built.count} phrases from {len(built.pack_names)} pack(s): {where}")


@index.command("clear")
def index_clear():
    """Delete the cache: indexes, semantic matrices and stored vectors; the next search builds again.

    \b
    Example:
      phrasekit index clear
    """
    from .index import clear_index

    removed = clear_index()
    echo(f"Removed {len(removed)} file(s)." if removed else "No index to remove.")


@cli.group()
def templates():
    """List and inspect follow-up templates (built-in, and those packs ship)."""


@templates.command("list")
@output_options("A JSON array of templates.", lines=True)
@click.pass_context
def templates_list(ctx, as_json, as_lines):
    """List templates: name, channel, source pack and description.

    \b
    Example:
      phrasekit templates list
    """
    from .catalogue import list_templates
    from .output import echo_rows, style

    found = list_templates(paths=_paths(ctx), warn=_warn)
    if echo_rows([template.to_dict() for template in found], as_json, as_lines):
        return
    width = max((len(template.name) for template in found), default=0)
    packs = [template.pack + (f" (overrides {', '.join(t.split(':')[0] for t in template.overrides)})"
                              if template.overrides else "") for template in found]  # fmt: skip
    pack_width = max(map(len, packs), default=0)  # the descriptions line up whatever the packs' names
    for template, pack in zip(found, packs, strict=True):
        echo(f"{style(template.name.ljust(width), bold=True)}  {template.channel:<6} {pack.ljust(pack_width)}  "
             f"{template.description}", hang=width + 11 + pack_width)  # fmt: skip


@templates.command("show")
@click.argument("name", shell_complete=_complete("templates"))
@output_options("The template's settings as JSON.")
@click.pass_context
def templates_show(ctx, name, as_json):
    """Show a template's fields (required or not, default, help) and where it comes from.

    \b
    Example:
      phrasekit templates show follow-up-email
    """
    from .catalogue import show_template
    from .output import echo_json, style

    template = show_template(name, paths=_paths(ctx), warn=_warn)
    if as_json:
        echo_json(template.to_dict())
        return
    echo(
        style(template.name, bold=True)
        + f"  ({template.channel}"
        + (f", at most {template.limit} characters" if template.limit else "")
        + ")"
    )
    echo(template.description)
    echo(f"source: {template.pack}: {template.path}")
    for shadowed in template.overrides:
        echo(f"overrides {shadowed}")
    echo("fields:")
    for f in template.fields:
        need = "required" if f.required else f"optional, default {f.default!r}"
        echo(f"  {f.name:<20} {need}{', private' if f.private else ''}", hang=23)
        if f.help:
            echo(f"  {'':<20} {style(f.help, dim=True)}")


def _stdin_is_terminal() -> bool:
    """Whether standard input is a terminal (someone about to type or paste), not a pipe or a file."""
    return sys.stdin.isatty()


def _is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask(name: str, help_text: str) -> str:
    from .visible import visible

    return click.prompt(visible(f"{name}" + (f" ({help_text})" if help_text else "")), err=True)


@cli.command()
@click.argument("name", shell_complete=_complete("templates"))
@click.option("--case", "case_file", type=click.Path(dir_okay=False), help="Case details: a YAML or JSON file.")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="A case detail, overriding the case file (repeatable; dotted keys: customer.name=Dana).",
)
@click.option("--pick", "picks", multiple=True, metavar="ID", shell_complete=_complete("phrase_ids"),
              help="Use this phrase for its category (repeatable).")  # fmt: skip
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the result to this file (in a folder that exists; - for standard output).",
)
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
@click.option("--allow-long", is_flag=True, help="Allow a result over the channel's character limit.")
@click.option(
    "--prompt/--no-prompt", "prompt", default=None, help="Ask for missing fields (default: only on a terminal)."
)
@output_options("Subject, body, channel, length and phrase ids as JSON.")
@click.pass_context
def render(ctx, name, case_file, sets, picks, output, force, allow_long, prompt, as_json):
    """Render the follow-up template NAME from the details of a case.

    Details come from your config.yaml (defaults), then --case FILE, then --set. Phrases are
    chosen for the case's issue (case.issue); their blanks ({when}) fill from the details
    (case.when, or --set when=...). On a terminal phrasekit asks for each missing field or
    blank; otherwise it stops with exit code 2 and lists them all. The ids of the phrases used
    are printed on standard error.

    \b
    Examples:
      phrasekit render follow-up-email --case examples/lost-package-email.yaml
      phrasekit render social-reply --set case.issue="charged twice" --set agent.name=Priya
      phrasekit render sms-follow-up --case case.yaml --json
    """
    from .output import echo_json
    from .render import render_follow_up

    interactive = prompt if prompt is not None else _is_interactive()
    if output == "-":  # as for a draft, "-" is the standard stream
        output = None
    with _Progress() as progress:
        rendered = render_follow_up(
            name, paths=_paths(ctx), case_file=case_file, sets=sets, picks=picks, ask=_ask if interactive else None,
            allow_long=allow_long, output=output, force=force, progress=progress, warn=_warn,
        )  # fmt: skip
    if as_json:
        echo_json(rendered.to_dict())
        return
    if output:
        echo(f"Wrote {output} ({rendered.length} characters)", err=True)
    else:
        echo(rendered.text, nl=False, block=True)
    family = f"the issue is {rendered.family}" if rendered.family else "no family fits the issue: general ones"
    echo(f"phrases: {', '.join(rendered.phrases) or 'none'} ({family})", err=True)


@cli.group()
def config():
    """Where the config file is and what it holds (defaults for render)."""


@config.command("path")
def config_path_command():
    """Print the path of the config file (it may not exist yet).

    \b
    Example:
      phrasekit config path
    """
    from .config import config_path

    echo(str(config_path()))


@config.command("show")
@output_options("The config as JSON.")
def config_show(as_json):
    """Show the config file's settings, or how to create one; warns about keys that are no
    setting (a typo).

    \b
    Example:
      phrasekit config show
    """
    from .config import EXAMPLE, KNOWN, read_config
    from .output import echo_json

    shown = read_config()
    if shown.unknown:
        _warn(f"{shown.path}: unknown key(s) {', '.join(shown.unknown)} (the settings: {', '.join(KNOWN)})")
    if as_json:
        echo_json(shown.data)
        return
    if shown.text is None:
        echo(f"No config file yet. Create {shown.path} with, for example:\n\n{EXAMPLE}", block=True)
        return
    echo(f"# {shown.path}")
    echo(shown.text, nl=False, block=True)


@config.command("set")
@click.argument("key")
@click.argument("value")
def config_set(key, value):
    """Set KEY to VALUE in the config file, keeping its other keys and comments.

    The settings: agent.name, company.name, signature, channel (phone, email, chat, sms,
    social), semantic and history (true/false, on/off or yes/no). The file is written
    atomically; one that cannot be read is an error and is left as it is.

    \b
    Examples:
      phrasekit config set agent.name "Sam Patel"
      phrasekit config set channel chat
      phrasekit config set history off
    """
    from .config import set_setting

    written = set_setting(key, value)
    if written.backup:
        _warn(f"{written.path} was written anew and its comments could not be kept; the file as you wrote it "
              f"is kept in {written.backup}")  # fmt: skip
    echo(f"{key} = {_setting_text(written.value)} ({written.path})", err=True)


@config.command("get")
@click.argument("key")
@output_options("The value as JSON (a string, or true or false).")
@click.pass_context
def config_get(ctx, key, as_json):
    """Print the value of KEY in the config file; exit code 1 when it is not set.

    \b
    Example:
      phrasekit config get agent.name
    """
    from .config import get_setting
    from .output import echo_json

    value = get_setting(key)
    if value is None:
        echo(f"{key} is not set", err=True)
        ctx.exit(1)
    if as_json:
        echo_json(value)
        return
    echo(_setting_text(value))


def _setting_text(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


@cli.command()
@click.argument("situation", nargs=-1, required=True)
@click.option("--channel", type=CHANNEL_CHOICE, help="Keep to phrases for this channel.")
@blank_options
@click.option("--markdown", is_flag=True, help="Markdown, to paste into a ticket.")
@output_options("The script as JSON.")
@ranking_options
@click.pass_context
def script(ctx, situation, channel, case_file, sets, markdown, as_json, mode):
    """A call or chat script for a SITUATION: the six steps of the practice, in order, each with
    its guidance and the best phrases for the situation (its family's, else the general ones).
    A --case file also puts the customer's and the agent's names in.

    \b
    Examples:
      phrasekit script pkg marked delivered never came
      phrasekit script --channel social "angry tweet about a double charge"
      phrasekit script --markdown --case case.yaml technician no show
      phrasekit script --set when="by 5 pm today" flight cancelled
    """
    from .output import echo_json, style
    from .playbook import build_script

    query = _situation(situation)
    with _Progress() as progress:
        result = _semantic_errors(lambda: build_script(
            query, paths=_paths(ctx), channel=channel, mode=mode, case_file=case_file, sets=sets,
            progress=progress, warn=_warn))  # fmt: skip
    details = result.details
    if as_json:
        echo_json(result.to_dict())
        return
    title = " ".join(query.split()) + (f" ({result.channel})" if result.channel else "")  # a pasted message: one line
    if result.family is None:
        title += " - no phrases for this exact situation; general ones"
    if markdown:
        echo(f"**Script:** {title}")
        echo()
        for step in result.steps:
            echo(f"### {step.step.number}. {step.step.name.capitalize()}")
            echo()
            echo(f"_{step.guidance}_")
            echo()
            for hit in step.hits:
                echo(f"- {_phrase_text(hit.phrase.text, details)} (`{hit.phrase.full_id}`)")
            echo()
        return
    echo(style(f"Script: {title}", bold=True))
    for step in result.steps:
        echo()
        echo(style(f"{step.step.number}. {step.step.name.capitalize()}", fg="cyan", bold=True))
        echo("   " + style(step.guidance, dim=True))
        for hit in step.hits:
            echo(f"   - {_phrase_text(hit.phrase.text, details)}  " + style(f"[{hit.phrase.full_id}]", dim=True))


@cli.command()
@click.argument("drafts", metavar="[DRAFT]...", nargs=-1)
@click.option(
    "--channel",
    type=CHANNEL_CHOICE,
    help=f"Where the draft goes: {' and '.join(PUBLIC)} adds the public-post rules; "
    f"{' and '.join(sorted(LIMITS, key=LIMITS.get, reverse=True))} have length limits.",
)
@click.option(
    "--kind",
    type=click.Choice(["reply", "follow-up"]),
    help="A follow-up must apologize, own it, give a next step and thank (default: guessed).",
)
@click.option(
    "--about",
    "situation",
    metavar="SITUATION",
    help='What the case is about, as for search ("parcel never arrived"): suggestions come from its words.',
)
@output_options("A JSON list of findings.", lines=True)
@ranking_options
@click.pass_context
def check(ctx, drafts, channel, kind, situation, as_json, as_lines, mode):
    """Read each DRAFT reply (a file, or - for standard input, the default) and report what would
    make an upset customer angrier, each with its file, line and column and a suggestion from the
    bank.

    Exit code 0 when every draft is clean, 1 with findings, 2 on bad input.

    \b
    Examples:
      phrasekit check reply.txt
      phrasekit check drafts/*.txt
      pbpaste | phrasekit check --channel social
      phrasekit check --kind follow-up --json email.txt
      phrasekit check --about "double charged" reply.txt
    """
    from .check import check_drafts, read_draft
    from .output import echo_rows

    drafts = drafts or ("-",)
    if "-" in drafts and _stdin_is_terminal():
        echo("Paste the draft, then press Ctrl-D (Ctrl-Z and Enter on Windows) on a line of its own.", err=True)
    read = [read_draft(draft) for draft in drafts]  # all read before any is checked: a bad name ends it at once
    results = _semantic_errors(lambda: check_drafts(read, channel=channel, kind=kind, situation=situation, mode=mode,
                                                    paths=_paths(ctx), warn=_warn))  # fmt: skip
    if not echo_rows([finding.to_dict() for result in results for finding in result.findings], as_json, as_lines):
        for result in results:
            for finding in result.findings:
                echo(str(finding), hang=2)
            read_as = f"read as a {result.kind}" + ("" if kind else ", guessed")
            where = f", {channel}" if channel else ""
            if result.clean:
                echo(f"{result.name}: no findings ({read_as}{where})", err=True)
            else:
                echo(f"{result.name}: {len(result.findings)} finding(s) ({read_as}{where})", err=True)
    if not all(result.clean for result in results):
        ctx.exit(1)


@cli.group()
def model():
    """The model behind semantic ranking (the optional semantic extra)."""


@model.command("status")
@output_options("The status as JSON.")
@click.pass_context
def model_status(ctx, as_json):
    """Where the model was found, its size, whether the checksum holds, whether semantic ranking
    is in use, and how many phrases have vectors.

    \b
    Example:
      phrasekit model status
    """
    from .encoder import MODEL_NAME, MODEL_SIZE
    from .output import echo_json
    from .semantic import model_status as status_of

    status = status_of(paths=_paths(ctx))
    if as_json:
        echo_json(status)
        return
    echo(f"model:    {MODEL_NAME}")
    echo(f"found:    {status['path'] or 'no'}" + (f" ({status['source']})" if status["source"] else ""))
    if status["size"] is not None:
        echo(f"size:     {status['size']} bytes (official: {MODEL_SIZE})")
        echo(f"checksum: {'ok' if status['checksum_ok'] else 'MISMATCH'}")
    echo(f"in use:   {'yes' if status['in_use'] else 'no: ' + status['reason']}", hang=10)
    echo(f"vectors:  {status['phrases_with_vectors']} of {status['phrases']} phrases")


@model.command("embed")
@click.pass_context
def model_embed(ctx):
    """Compute the phrase vectors for the packs in force now (search does it by itself: small
    banks at once, large ones in the background).

    \b
    Example:
      phrasekit --path ./team-pack model embed
    """
    import time

    from .encoder import bulk_thread_count, plan_threads

    plan_threads(bulk_thread_count())  # before numpy is first imported
    from .semantic import embed_phrases

    start = time.perf_counter()
    with _Progress("Embedding phrases", least=0) as progress:
        progress(0, 1)
        count = embed_phrases(paths=_paths(ctx), progress=progress)
    echo(f"Vectors ready for {count} phrases ({time.perf_counter() - start:.1f} s)")


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell):
    """Print the completion script for SHELL (bash, zsh or fish): commands, options, template
    names, categories, channels, pack names and phrase ids complete with Tab.

    \b
    Examples (a line for your shell's start-up file):
      bash (~/.bashrc):                 eval "$(phrasekit completion bash)"
      zsh (~/.zshrc):                   eval "$(phrasekit completion zsh)"
      fish (~/.config/fish/config.fish): phrasekit completion fish | source
    """
    from .completion import script

    echo(script(cli, shell), nl=False, block=True)


def main() -> None:
    """The console entry point: ``cli`` run as one short process.

    Two costs of a Python process that a command does not need are skipped. The cyclic garbage
    collector is off: a command builds a few large structures and no cycles worth collecting,
    and the collector's passes over them cost a search with a 100,000-phrase pack about 17 ms of
    its 110 (a first build ran 22% faster with the same peak memory). And the process ends with
    ``os._exit`` once its output is flushed, without tearing down its heap (about 5 ms more):
    every file a command writes is closed, and every index write committed, before it returns.
    ``cli`` itself (for ``CliRunner`` and embedding) is unchanged."""
    import contextlib
    import gc

    gc.disable()
    try:
        cli(prog_name="phrasekit")
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if isinstance(done.code, str):
            echo(done.code, err=True)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream: nothing more to say
            stream.flush()
    os._exit(code)
