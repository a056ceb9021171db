"""The command line: parse arguments, call the core, print. Core modules are imported lazily."""

from __future__ import annotations

import os
import sys

import click

from . import __version__
from .errors import PhrasekitError

CHANNEL_CHOICE = click.Choice(["phone", "email", "chat", "sms", "social"])


class UserError(click.ClickException):
    """A ``PhrasekitError`` at the edge: printed without a traceback, exit code 2."""

    exit_code = 2

    def __init__(self, error: PhrasekitError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code


class PhrasekitGroup(click.Group):
    """Turns the project's errors into clean messages; ``PHRASEKIT_DEBUG=1`` shows tracebacks."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PhrasekitError as error:
            raise UserError(error) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            sys.stderr.close()
            raise click.exceptions.Exit(0) from None
        except Exception as error:
            if os.environ.get("PHRASEKIT_DEBUG"):
                raise
            click.echo(
                f"Error: unexpected {type(error).__name__}: {error}\n"
                "This is a bug in phrasekit; run again with PHRASEKIT_DEBUG=1 to see the traceback.",
                err=True,
            )
            raise click.exceptions.Exit(3) from None


def _settings(ctx: click.Context) -> dict:
    return ctx.find_root().obj or {}


def _warn_problems(problems) -> None:
    from .errors import PackError
    from .output import warn

    for problem in problems:
        where = problem.location.path if problem.location else ""
        if not isinstance(problem, PackError):
            warn(f"{where}: {problem.message}" if where else problem.message)
            continue
        first = f"; first: {problem.findings[0]}" if problem.findings else ""
        warn(f"skipped {where}: {problem.message}{first} (check it with 'phrasekit packs validate {where}')")


def _blank_values(case_file: str | None, sets: tuple[str, ...], wanted: set[str] = frozenset()) -> dict:
    """Case details that fill blanks: the config's defaults (read only when a blank wants them:
    your name, your company's), then --case FILE, then --set."""
    from .case import derive, load_case, merge, parse_sets

    from_config = bool(wanted & CONFIG_BLANKS)
    if not case_file and not sets and not from_config:
        return {}
    from .config import config_path, load_config

    config = load_config() if case_file or sets or config_path().is_file() else {}
    return derive(merge(config, load_case(case_file) if case_file else {}, parse_sets(sets)))


CONFIG_BLANKS = frozenset({"agent", "company"})
"""Blanks the config file's defaults fill (agent.name, company.name)."""


def _phrase_text(text: str, details: dict) -> str:
    """A phrase as a rep reads it: blanks filled from the case details, the rest as ``[when]``
    (bold on a terminal)."""
    from .blanks import fill, names, values_from
    from .output import style

    if "{" not in text and "}" not in text:
        return text
    return fill(text, values_from(details, names(text)), lambda name: style(f"[{name}]", bold=True))


def _phrase_row(phrase_dict: dict, details: dict) -> dict:
    """A phrase's JSON with ``filled``: its text with the given blanks filled, ``[name]`` for the rest."""
    from .blanks import fill, values_from

    phrase_dict["filled"] = fill(phrase_dict["text"], values_from(details, phrase_dict["blanks"]))
    return phrase_dict


def _channel(channel: str | None) -> str | None:
    """``--channel``, else the config's ``channel:`` default."""
    if channel is not None:
        return channel
    from .config import default_channel

    return default_channel()


def _catalogue(ctx: click.Context):
    """The packs in force and the categories, read from the index (which keeps them)."""
    from .index import load_index

    loaded = load_index(_settings(ctx).get("paths", ()))
    _warn_problems(loaded.problems)
    catalogue = loaded.index.catalogue()
    if catalogue is None:  # an index built in memory without them: read the packs
        pack_set = _load_packs(ctx)
        return [pack.to_dict() for pack in pack_set.packs], pack_set.categories()
    return catalogue


def _load_packs(ctx: click.Context):
    from .packs import load_packs

    pack_set = load_packs(_settings(ctx).get("paths", ()))
    _warn_problems(pack_set.problems)
    return pack_set


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
    type=click.Path(exists=True, file_okay=False),
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
@click.option("-c", "--category", "categories", multiple=True, help="Only this category (repeatable).")
@click.option("--channel", type=CHANNEL_CHOICE, help="Only phrases that fit this channel.")
@click.option("--pack", "packs", multiple=True, metavar="NAME", help="Only phrases from this pack (repeatable).")
@click.option("-n", "--limit", default=5, show_default=True, type=click.IntRange(1, 1000), help="How many phrases.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of results.")
@click.option("--nl", "as_lines", is_flag=True, help="One JSON object per line.")
@click.option("--text", "text_only", is_flag=True, help="Only the phrase texts, one per line.")
@blank_options
@ranking_options
@click.pass_context
def search(ctx, situation, categories, channel, packs, limit, as_json, as_lines, text_only, sets, case_file, mode):
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
      pbpaste | phrasekit search -
    """
    from .index import load_index
    from .output import echo_json, echo_json_lines, style
    from .search import rank_phrases

    query = " ".join(situation)
    if query.strip() == "-":
        query = sys.stdin.read()
    if not query.strip():
        raise click.UsageError("the situation is empty; say what is happening, e.g. 'refund not received'")
    loaded = load_index(_settings(ctx).get("paths", ()))
    _warn_problems(loaded.problems)
    index = loaded.index
    known = set(index.category_names)
    for name in categories:
        if name not in known:
            raise click.BadParameter(
                f"unknown category {name!r} (see 'phrasekit categories')", param_hint="'--category'"
            )
    names = set(index.pack_names)
    for name in packs:
        if name not in names:
            raise click.BadParameter(f"no pack named {name!r} (see 'phrasekit packs list')", param_hint="'--pack'")
    if sets:
        from .case import parse_sets

        parse_sets(sets)  # a bad --set is a usage error before anything is searched
    channel = _channel(channel)
    semantic = _semantic_view(ctx, index, mode)
    hits = rank_phrases(index, query, limit=limit, categories=categories, channel=channel, packs=packs,
                        semantic=semantic)  # fmt: skip
    details = _blank_values(case_file, sets, {name for hit in hits for name in hit.phrase.blanks})
    if hits and hits[0].fallback and not (as_json or as_lines):
        click.echo("No phrases for this exact situation; general ones:", err=True)
    if as_json:
        echo_json([_phrase_row(hit.to_dict(), details) for hit in hits])
    elif as_lines:
        echo_json_lines([_phrase_row(hit.to_dict(), details) for hit in hits])
    elif text_only:
        for hit in hits:
            click.echo(_phrase_text(hit.phrase.text, details))
    elif hits:
        for number, hit in enumerate(hits):
            if number:
                click.echo()
            click.echo(f"{style(hit.phrase.category, fg='cyan', bold=True)}  {style(hit.phrase.full_id, dim=True)}")
            click.echo(f"  {_phrase_text(hit.phrase.text, details)}")
    if not hits:
        if not (as_json or as_lines):
            click.echo("No phrase matches that well enough. Try other words, or 'phrasekit categories'.", err=True)
        ctx.exit(1)


def _semantic_view(ctx: click.Context, index, mode: str | None):
    """The semantic view for a search (see ``semantic.semantic_for_search``), with a progress bar
    while phrases are embedded and its notice as a warning."""
    if mode == "lexical":
        return None
    from .output import warn
    from .semantic import SemanticUnavailable, semantic_for_search

    bar = {}

    def progress(done: int, total: int) -> None:
        if total < 100:
            return
        if "bar" not in bar:
            bar["bar"] = click.progressbar(length=total, label="Embedding phrases for semantic search",
                                           file=sys.stderr, show_eta=True)  # fmt: skip
            bar["bar"].__enter__()
        bar["bar"].update(done - bar["bar"].pos)

    try:
        view, notice = semantic_for_search(index, mode, _settings(ctx).get("paths", ()), progress)
    except SemanticUnavailable as error:
        raise click.UsageError(error.message) from None
    finally:
        if "bar" in bar:
            bar["bar"].__exit__(None, None, None)
    if notice:
        warn(notice)
    return view


@cli.command()
@click.argument("phrase_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="The phrase as a JSON object.")
@blank_options
@click.pass_context
def show(ctx, phrase_id, as_json, sets, case_file):
    """Show one phrase by its full id (pack/id) or an unambiguous short id.

    \b
    Examples:
      phrasekit show builtin/sorry-core
      phrasekit show lost-package-follow-up --set when="by Friday noon" --set channel="by phone"
    """
    from .index import load_index
    from .output import echo_json, style

    loaded = load_index(_settings(ctx).get("paths", ()))
    _warn_problems(loaded.problems)
    phrase = loaded.index.lookup(phrase_id)
    details = _blank_values(case_file, sets, set(phrase.blanks))
    if as_json:
        echo_json(_phrase_row(phrase.to_dict(), details))
        return
    click.echo(style(phrase.full_id, bold=True))
    click.echo(_phrase_text(phrase.text, details))
    click.echo()
    from .blanks import STANDARD

    family = loaded.index.families.get(phrase.family) if phrase.family else None
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
        click.echo(f"{style(f'{label}:'.ljust(11), dim=True)} {value}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON array of categories.")
@click.pass_context
def categories(ctx, as_json):
    """List the phrase categories: the steps of the practice and what each is for.

    \b
    Example:
      phrasekit categories
    """
    from .output import echo_json, style

    packs, found = _catalogue(ctx)
    if as_json:
        echo_json([category.to_dict() for category in found])
        return
    width = max(len(category.name) for category in found)
    for category in found:
        step = f"step {category.step}" if category.step else (category.pack or "")
        click.echo(f"{style(category.name.ljust(width), fg='cyan', bold=True)}  {step:<8} {category.description}")
        if category.guidance:
            click.echo(f"{'':{width}}  {'':<8} {style(category.guidance, dim=True)}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON array of families.")
@click.pass_context
def families(ctx, as_json):
    """List the situation families: what happened, its sector, how many phrases, and whether it
    is a sensitive moment (its words are never mixed with another family's).

    \b
    Example:
      phrasekit families
    """
    from .index import load_index
    from .output import echo_json, style
    from .search import family_counts

    loaded = load_index(_settings(ctx).get("paths", ()))
    _warn_problems(loaded.problems)
    rows = family_counts(loaded.index)
    if as_json:
        echo_json(rows)
        return
    width = max((len(row["name"]) for row in rows), default=0)
    for row in rows:
        mark = " (sensitive)" if row["sensitive"] else ""
        click.echo(f"{style(row['name'].ljust(width), bold=True)}  {row['sector']:<11} {row['phrases']:>3}  "
                   f"{row['title']}{mark}")  # fmt: skip


@cli.group()
def packs():
    """List, check and create phrase packs."""


@packs.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of packs.")
@click.pass_context
def packs_list(ctx, as_json):
    """List the packs in force: name, version, phrase count and where each came from.

    \b
    Example:
      phrasekit --path ./team-pack packs list
    """
    from .output import echo_json, style

    packs, _ = _catalogue(ctx)
    if as_json:
        echo_json(packs)
        return
    for pack in packs:
        version = pack["version"] or "-"
        click.echo(f"{style(pack['name'], bold=True)}  {version}  {pack['phrases']} phrases  {pack['origin']}: "
                   f"{pack['path']}")  # fmt: skip
        for shadowed in pack["shadows"]:
            click.echo(f"  shadows {shadowed}")


@packs.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="A JSON array, one object per pack with its findings.")
@click.option(
    "--strict",
    is_flag=True,
    help="Also hold the phrases to the practice: no hard-coded times or remedies, no blame, no assumed "
    "facts, channel lengths, near-duplicates, every step for each family.",
)
def packs_validate(paths, as_json, strict):
    """Check packs and report every problem as FILE:LINE:COLUMN: message.

    Exit code 0 when every pack is clean, 2 when any has a problem.

    \b
    Example:
      phrasekit packs validate ./team-pack
      phrasekit packs validate --strict ./team-pack
    """
    from .output import echo_json
    from .packs import read_pack

    results = []
    for path in paths:
        pack, findings = read_pack(path)
        if pack is not None and strict:
            from .practice import pack_findings

            findings = findings + pack_findings(pack)
        results.append((path, pack, findings))
    if as_json:
        echo_json(
            [
                {
                    "path": path,
                    "ok": not findings,
                    "name": pack.name if pack else None,
                    "phrases": len(pack.phrases) if pack else 0,
                    "families": len(pack.families) if pack else 0,
                    "findings": [f.to_dict() for f in findings],
                }
                for path, pack, findings in results
            ]
        )
    else:
        for path, pack, findings in results:
            for finding in findings:
                click.echo(str(finding))
            if not findings:
                families = f", {len(pack.families)} families" if pack.families else ""
                click.echo(f"ok: {path}: pack {pack.name!r}, {len(pack.phrases)} phrases{families}")
            else:
                click.echo(f"{path}: {len(findings)} problem(s)", err=True)
    if any(findings for _, _, findings in results):
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
    click.echo(f"Created {target}")
    click.echo(f"Check it with: phrasekit packs validate {target.parent}")
    click.echo(f"Search it with: phrasekit --path {target.parent} search late delivery")


@cli.group()
def index():
    """Show and manage the compiled search index (a cache; safe to delete)."""


@index.command("status")
@click.option("--json", "as_json", is_flag=True, help="The status as a JSON object.")
@click.pass_context
def index_status_command(ctx, as_json):
    """Where the index is, whether it is current for the packs in force, and what it holds.

    \b
    Example:
      phrasekit index status
    """
    from .index import index_status
    from .output import echo_json

    status = index_status(_settings(ctx).get("paths", ()))
    if as_json:
        echo_json(status)
        return
    click.echo(f"path:    {status['path']}")
    click.echo(f"state:   {status['state']}")
    if status.get("phrases") is not None:
        click.echo(f"phrases: {status['phrases']} in {len(status['packs'])} pack(s): {', '.join(status['packs'])}")
        click.echo(f"size:    {status['size']} bytes")


@index.command("rebuild")
@click.pass_context
def index_rebuild(ctx):
    """Build the index now from the packs in force (search does this by itself when needed).

    \b
    Example:
      phrasekit --path ./team-pack index rebuild
    """
    from .index import load_index

    loaded = load_index(_settings(ctx).get("paths", ()), rebuild=True)
    _warn_problems(loaded.problems)
    where = "in memory only (the cache folder cannot be written)" if loaded.state == "memory" else loaded.index.path
    click.echo(f"Indexed {loaded.index.count} phrases from {len(loaded.index.pack_names)} pack(s): {where}")


@index.command("clear")
def index_clear():
    """Delete the cache: indexes, semantic matrices and stored vectors; the next search builds again.

    \b
    Example:
      phrasekit index clear
    """
    from .index import clear_index

    removed = clear_index()
    click.echo(f"Removed {len(removed)} file(s)." if removed else "No index to remove.")


def _render_setup(ctx):
    """The index, the templates (found through the packs the index lists) and the problems met
    loading them (warned once)."""
    from .index import load_index
    from .model import Pack
    from .render import load_templates

    loaded = load_index(_settings(ctx).get("paths", ()))
    _warn_problems(loaded.problems)
    catalogue = loaded.index.catalogue()
    if catalogue is None:
        packs = _load_packs(ctx).packs
    else:
        packs = [Pack(name=row["name"], path=row["path"], origin=row["origin"]) for row in catalogue[0]]
    templates, problems = load_templates(packs)
    _warn_problems(problems)
    return loaded.index, templates


@cli.group()
def templates():
    """List and inspect follow-up templates (built-in, and those packs ship)."""


@templates.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of templates.")
@click.pass_context
def templates_list(ctx, as_json):
    """List templates: name, channel, source pack and description.

    \b
    Example:
      phrasekit templates list
    """
    from .output import echo_json, style

    _, found = _render_setup(ctx)
    if as_json:
        echo_json([template.to_dict() for template in found.values()])
        return
    width = max((len(name) for name in found), default=0)
    for template in found.values():
        note = f" (overrides {', '.join(t.split(':')[0] for t in template.overrides)})" if template.overrides else ""
        click.echo(
            f"{style(template.name.ljust(width), bold=True)}  {template.channel:<6} "
            f"{template.pack}{note}  {template.description}"
        )


@templates.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="The template's settings as JSON.")
@click.pass_context
def templates_show(ctx, name, as_json):
    """Show a template's fields (required or not, default, help) and where it comes from.

    \b
    Example:
      phrasekit templates show follow-up-email
    """
    from .output import echo_json, style
    from .render import find_template

    _, found = _render_setup(ctx)
    template = find_template(found, name)
    if as_json:
        echo_json(template.to_dict())
        return
    click.echo(
        style(template.name, bold=True)
        + f"  ({template.channel}"
        + (f", at most {template.limit} characters" if template.limit else "")
        + ")"
    )
    click.echo(template.description)
    click.echo(f"source: {template.pack}: {template.path}")
    for shadowed in template.overrides:
        click.echo(f"overrides {shadowed}")
    click.echo("fields:")
    for f in template.fields:
        need = "required" if f.required else f"optional, default {f.default!r}"
        click.echo(f"  {f.name:<20} {need}{', private' if f.private else ''}")
        if f.help:
            click.echo(f"  {'':<20} {style(f.help, dim=True)}")


def _is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@cli.command()
@click.argument("name")
@click.option("--case", "case_file", type=click.Path(dir_okay=False), help="Case details: a YAML or JSON file.")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="A case detail, overriding the case file (repeatable; dotted keys: customer.name=Dana).",
)
@click.option("--pick", "picks", multiple=True, metavar="ID", help="Use this phrase for its category (repeatable).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the result to this file.")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
@click.option("--allow-long", is_flag=True, help="Allow a result over the channel's character limit.")
@click.option(
    "--prompt/--no-prompt", "prompt", default=None, help="Ask for missing fields (default: only on a terminal)."
)
@click.option("--json", "as_json", is_flag=True, help="Subject, body, channel, length and phrase ids as JSON.")
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
    from .case import derive, load_case, merge, parse_sets, set_path
    from .config import load_config
    from .files import write_atomic
    from .output import echo_json
    from .render import (
        MissingBlanks,
        check_length,
        find_template,
        make_picker,
        missing_error,
        missing_fields,
        picked_phrases,
        with_defaults,
    )  # fmt: skip
    from .render import render as render_template

    index, found = _render_setup(ctx)
    template = find_template(found, name)
    details = merge(load_config(), load_case(case_file) if case_file else {}, parse_sets(sets))
    derive(details)
    interactive = prompt if prompt is not None else _is_interactive()
    missing = missing_fields(template, details)
    if missing and interactive:
        for f in missing:
            set_path(details, f.name, click.prompt(f"{f.name}" + (f" ({f.help})" if f.help else ""), err=True))
        derive(details)
        missing = missing_fields(template, details)
    if missing:
        raise missing_error(missing)
    with_defaults(template, details)
    chosen = picked_phrases(index.lookup, picks, details)
    semantic = _semantic_view(ctx, index, None)
    while True:
        try:
            rendered = render_template(template, details, make_picker(index, details, template.channel, chosen,
                                                                      semantic))  # fmt: skip
            break
        except MissingBlanks as error:
            if not interactive:
                raise
            for blank, help_text in error.blanks.items():
                answer = click.prompt(f"{blank}" + (f" ({help_text})" if help_text else ""), err=True)
                set_path(details, f"case.{blank}", answer)
    if not allow_long:
        check_length(rendered)
    if output:
        write_atomic(output, rendered.text, force=force)
    if as_json:
        echo_json(rendered.to_dict())
    else:
        if output:
            click.echo(f"Wrote {output} ({rendered.length} characters)", err=True)
        else:
            click.echo(rendered.text, nl=False)
        family = f"the issue is {rendered.family}" if rendered.family else "no family fits the issue: general ones"
        click.echo(f"phrases: {', '.join(rendered.phrases) or 'none'} ({family})", err=True)


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

    click.echo(str(config_path()))


@config.command("show")
@click.option("--json", "as_json", is_flag=True, help="The config as JSON.")
def config_show(as_json):
    """Show the config file's settings, or how to create one.

    \b
    Example:
      phrasekit config show
    """
    from .config import EXAMPLE, config_path, load_config
    from .output import echo_json

    data = load_config()
    if as_json:
        echo_json(data)
        return
    path = config_path()
    if not path.is_file():
        click.echo(f"No config file yet. Create {path} with, for example:\n\n{EXAMPLE}")
        return
    click.echo(f"# {path}")
    click.echo(path.read_text(encoding="utf-8"), nl=False)


@cli.command()
@click.argument("situation", nargs=-1, required=True)
@click.option("--channel", type=CHANNEL_CHOICE, help="Keep to phrases for this channel.")
@blank_options
@click.option("--markdown", is_flag=True, help="Markdown, to paste into a ticket.")
@click.option("--json", "as_json", is_flag=True, help="The script as JSON.")
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
    from .case import get_path
    from .index import load_index
    from .output import echo_json, style
    from .playbook import build_script

    query = " ".join(situation)
    if query.strip() == "-":
        query = sys.stdin.read()
    if not query.strip():
        raise click.UsageError("the situation is empty; say what is happening, e.g. 'refund not received'")
    loaded = load_index(_settings(ctx).get("paths", ()))
    _warn_problems(loaded.problems)
    details = _blank_values(case_file, sets, CONFIG_BLANKS)
    names = None
    if case_file:
        names = {
            "customer": get_path(details, "customer.first_name") or "",
            "agent": get_path(details, "agent.name") or "",
        }
    channel = _channel(channel)
    result = build_script(loaded.index, query, channel, names, semantic=_semantic_view(ctx, loaded.index, mode))
    if as_json:
        rows = result.to_dict()
        for step in rows["steps"]:
            for phrase in step["phrases"]:
                _phrase_row(phrase, details)
        echo_json(rows)
        return
    title = f"{query.strip()}" + (f" ({channel})" if channel else "")
    if result.family is None:
        title += " - no phrases for this exact situation; general ones"
    if markdown:
        click.echo(f"**Script:** {title}\n")
        for step in result.steps:
            click.echo(f"### {step.step.number}. {step.step.name.capitalize()}\n")
            click.echo(f"_{step.guidance}_\n")
            for hit in step.hits:
                click.echo(f"- {_phrase_text(hit.phrase.text, details)} (`{hit.phrase.full_id}`)")
            click.echo()
        return
    click.echo(style(f"Script: {title}", bold=True))
    for step in result.steps:
        click.echo()
        click.echo(style(f"{step.step.number}. {step.step.name.capitalize()}", fg="cyan", bold=True))
        click.echo("   " + style(step.guidance, dim=True))
        for hit in step.hits:
            click.echo(f"   - {_phrase_text(hit.phrase.text, details)}  " + style(f"[{hit.phrase.full_id}]", dim=True))


@cli.command()
@click.argument("draft", default="-", required=False)
@click.option(
    "--channel",
    type=click.Choice(["email", "chat", "social", "sms", "phone"]),
    help="Where the draft goes: social adds the public-post rules; social and sms have length limits.",
)
@click.option(
    "--kind",
    type=click.Choice(["reply", "follow-up"]),
    help="A follow-up must apologize, own it, give a next step and thank (default: guessed).",
)
@click.option("--json", "as_json", is_flag=True, help="A JSON list of findings.")
@click.pass_context
def check(ctx, draft, channel, kind, as_json):
    """Read a DRAFT reply (a file, or - for standard input) and report what would make an upset
    customer angrier, each with its line and column and a suggestion from the bank.

    Exit code 0 when the draft is clean, 1 with findings, 2 on bad input.

    \b
    Examples:
      phrasekit check reply.txt
      pbpaste | phrasekit check --channel social
      phrasekit check --kind follow-up --json email.txt
    """
    from .check import builtin_rules, check_text, guess_kind, pack_rules, read_draft, suggest
    from .index import load_index
    from .output import echo_json

    text, name = read_draft(draft)
    if not text.strip():
        raise click.UsageError("the draft is empty")
    loaded = load_index(_settings(ctx).get("paths", ()))
    _warn_problems(loaded.problems)
    rules = builtin_rules() + pack_rules(loaded.index.avoid())
    kind = kind or guess_kind(text)
    findings = check_text(text, rules, channel=channel, kind=kind, path=name)
    if findings:
        suggest(findings, rules, loaded.index, text, channel)
    if as_json:
        echo_json([finding.to_dict() for finding in findings])
    else:
        for finding in findings:
            click.echo(str(finding))
        if not findings:
            click.echo(f"{name}: no findings ({kind}{', ' + channel if channel else ''})", err=True)
    if findings:
        ctx.exit(1)


@cli.group()
def model():
    """The model behind semantic ranking (the optional semantic extra)."""


@model.command("status")
@click.option("--json", "as_json", is_flag=True, help="The status as JSON.")
@click.pass_context
def model_status(ctx, as_json):
    """Where the model was found, its size, whether the checksum holds, whether semantic ranking
    is in use, and how many phrases have vectors.

    \b
    Example:
      phrasekit model status
    """
    from .encoder import MODEL_NAME, MODEL_SIZE, ModelError, find_model, verify_weights
    from .index import load_index
    from .output import echo_json
    from .semantic import count_vectors, disabled_by_user, unavailable_reason

    location = find_model()
    status = {
        "model": MODEL_NAME, "path": None, "source": None, "size": None, "expected_size": MODEL_SIZE,
        "checksum_ok": None, "in_use": False, "reason": None, "phrases": None, "phrases_with_vectors": 0,
    }  # fmt: skip
    if location is not None:
        status.update(path=str(location.path), source=location.source, size=location.weights.stat().st_size)
        try:
            verify_weights(location)
            status["checksum_ok"] = True
        except ModelError as error:
            status["checksum_ok"] = False
            status["reason"] = error.message
    reason = status["reason"] or unavailable_reason()
    if reason is None and disabled_by_user():
        reason = "turned off (semantic: false in config.yaml, or PHRASEKIT_SEMANTIC=0)"
    status["in_use"] = reason is None
    status["reason"] = reason
    loaded = load_index(_settings(ctx).get("paths", ()))
    status["phrases"] = loaded.index.count
    status["phrases_with_vectors"] = count_vectors(loaded.index)
    if as_json:
        echo_json(status)
        return
    click.echo(f"model:    {MODEL_NAME}")
    click.echo(f"found:    {status['path'] or 'no'}" + (f" ({status['source']})" if status["source"] else ""))
    if status["size"] is not None:
        click.echo(f"size:     {status['size']} bytes (official: {MODEL_SIZE})")
        click.echo(f"checksum: {'ok' if status['checksum_ok'] else 'MISMATCH'}")
    click.echo(f"in use:   {'yes' if status['in_use'] else 'no: ' + reason}")
    click.echo(f"vectors:  {status['phrases_with_vectors']} of {status['phrases']} phrases")


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
    from .index import cache_dir, load_index
    from .semantic import load_semantic

    loaded = load_index(_settings(ctx).get("paths", ()))
    start = time.perf_counter()
    try:
        with click.progressbar(length=1, label="Embedding phrases", file=sys.stderr, show_eta=True) as bar:

            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            load_semantic(loaded.index, progress=progress)
    finally:
        marker = cache_dir() / "embedding.pid"
        if marker.is_file():
            marker.unlink()
    click.echo(f"Vectors ready for {loaded.index.count} phrases ({time.perf_counter() - start:.1f} s)")
