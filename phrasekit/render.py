"""Follow-up templates: finding them, reading their front matter, rendering them safely.

A template is a ``*.jinja`` file: YAML front matter between ``---`` lines, then the text.

    ---
    name: follow-up-email
    description: Email after the call
    channel: email            # email | social | chat | sms | phone
    limit: 280                # optional: most characters the channel takes
    fields:
      - name: customer.first_name
        help: The customer's first name, for the greeting
      - name: case.next_steps
        required: false
        default: ""
    ---
    Subject: ...              # optional first line, for email
    Hi {{ customer.first_name }}, {{ phrase("apology") }}

Templates render in Jinja's immutable sandbox with ``StrictUndefined`` and no loader, so a
template cannot include files, reach Python internals or change the case it is given (it gets
a copy), and under a budget of steps, sizes and CPU time (``sandbox.py``), so it cannot hang or
fill the memory. Case values are data: they are inserted as text and never rendered as
template code.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .case import PRIVATE, get_path
from .channels import LIMITS as CHANNEL_LIMITS
from .channels import NAMES as TEMPLATE_CHANNELS
from .channels import is_public
from .errors import Finding, Location, NotFoundError, PhrasekitError, report
from .index import recovering
from .patterns import compile_pattern

FRONT_KEYS = ("name", "description", "channel", "limit", "fields")
FIELD_KEYS = ("name", "required", "default", "help", "private")
FIELD_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
# Bounded (patterns.compile_pattern) and started only where a run of their characters starts: a
# long word is read once, not once from each of its letters.
EMAIL_RE = compile_pattern(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+", estimate=False)
PHONE_RE = compile_pattern(r"(?<!\d)\+?\d[\d\s().-]{7,}\d", estimate=False)


class TemplateError(PhrasekitError):
    """A template that cannot be read or rendered."""


class TemplateLimitError(TemplateError):
    """A template went over its budget of steps, size, numbers, nesting or CPU time
    (see ``phrasekit/sandbox.py``)."""


LIMIT_HINT = "The template is at fault, not the case: fix it, or ask its pack's author to."

JINJA_GLOBALS = frozenset({"range", "dict", "lipsum", "cycler", "joiner", "namespace"})
"""Jinja's usual globals, which phrasekit templates do not get (a template has no need of them,
and ``range`` and ``lipsum`` make work from a number alone)."""


def _jinja_global(message: str | None) -> str | None:
    match = re.fullmatch(r"'(\w+)' is undefined", message or "")
    return match.group(1) if match and match.group(1) in JINJA_GLOBALS else None


class RenderError(PhrasekitError):
    """Rendering stopped: missing fields, a result over the channel's limit, a privacy leak."""


class MissingBlanks(RenderError):
    """Phrases chosen for the message leave blanks (``{when}``) the case does not fill."""

    def __init__(self, blanks: dict[str, str], phrases: Sequence[str]) -> None:
        lines = [f"  {name}: {help_text}" if help_text else f"  {name}" for name, help_text in blanks.items()]
        super().__init__(
            f"the chosen phrases leave {len(blanks)} blank(s) to fill:\n" + "\n".join(lines),
            hint="Give them in the case file (case.when: ...) or with --set (e.g. --set when='by 5 pm today'); "
            f"phrases: {', '.join(phrases)}.",
        )
        self.blanks = blanks


@dataclass(frozen=True)
class Field:
    name: str
    required: bool = True
    default: object = None
    help: str = ""
    private: bool = False

    def to_dict(self) -> dict:
        return {"name": self.name, "required": self.required, "default": self.default,
                "help": self.help, "private": self.private}  # fmt: skip


@dataclass(frozen=True)
class Template:
    name: str
    description: str
    channel: str
    limit: int | None
    fields: tuple[Field, ...]
    body: str
    body_line: int
    path: str
    pack: str
    overrides: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = field(default=(), compare=False)
    """What ``packs validate`` reports that does not stop the template loading (a zero-width space)."""

    def to_dict(self) -> dict:
        return {
            "name": self.name, "description": self.description, "channel": self.channel,
            "limit": self.limit, "pack": self.pack, "path": self.path,
            "overrides": list(self.overrides), "fields": [f.to_dict() for f in self.fields],
        }  # fmt: skip


@dataclass
class Rendered:
    template: str
    channel: str
    subject: str | None
    body: str
    limit: int | None
    phrases: list[str] = field(default_factory=list)
    family: str | None = None

    @property
    def length(self) -> int:
        return len(self.body)

    @property
    def text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}" if self.subject else self.body

    def to_dict(self) -> dict:
        return {
            "template": self.template, "channel": self.channel, "subject": self.subject,
            "body": self.body, "length": self.length, "limit": self.limit, "phrases": self.phrases,
            "family": self.family,
        }  # fmt: skip


def read_template(path: Path | str, pack: str = "builtin", root: Path | None = None) -> Template:
    """Read one template file; ``root`` is the folder it must not escape."""
    from .validate import NAME_RE, character_findings
    from .yamlfile import YamlFileError, decode_utf8, parse_yaml

    path = Path(path)
    display = str(path)
    if root is not None:
        try:
            path.resolve().relative_to(root.resolve())
        except ValueError:
            raise TemplateError("template points outside its pack; refused", Location(display)) from None
    from .files import read_user_file

    try:
        text = decode_utf8(read_user_file(path, "template"), display)  # never a named pipe or a device
    except YamlFileError as exc:
        raise TemplateError(exc.message, exc.location) from None
    except PhrasekitError as exc:
        raise TemplateError(exc.message, Location(display)) from None
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise TemplateError("a template starts with front matter: a '---' line, the settings, '---'",
                            Location(display, 1, 1))  # fmt: skip
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise TemplateError("front matter is not closed: add a '---' line after the settings", Location(display, 1, 1))
    try:
        doc = parse_yaml("\n" + "".join(lines[1:end]), display)
    except YamlFileError as exc:
        raise TemplateError(exc.message, exc.location, findings=exc.findings) from None
    findings = list(doc.findings) + character_findings(text, display)
    findings += character_findings(doc.source, display, yaml_text=True, raw=False)
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        findings.append(Finding(Location(display, 2, 1), "front matter must be a mapping (name:, channel:, fields:)"))

    def problem(path: tuple, message: str, key: bool = False) -> None:
        findings.append(Finding(doc.location(path, key=key), message))

    for key in data:
        if key not in FRONT_KEYS:
            problem((key,), f"unknown key {key!r} in front matter (allowed: {', '.join(FRONT_KEYS)})", key=True)
    name = data.get("name") or path.name.removesuffix(".jinja")
    if not isinstance(name, str) or not NAME_RE.match(name):
        problem(("name",), f"invalid template name {name!r}: use lowercase letters, digits and dashes")
    channel = data.get("channel")
    if channel not in TEMPLATE_CHANNELS:
        problem(("channel",), f"'channel' must be one of {', '.join(TEMPLATE_CHANNELS)}, not {channel!r}")
    limit = data.get("limit", CHANNEL_LIMITS.get(channel))
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        problem(("limit",), "'limit' must be a whole number of characters")
        limit = None
    fields = []
    raw_fields = data.get("fields") or []
    if not isinstance(raw_fields, list):
        problem(("fields",), "'fields' must be a list of fields, each with at least 'name:'")
        raw_fields = []
    for index, item in enumerate(raw_fields):
        where = ("fields", index)
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            problem(where, "each field is a mapping with 'name:' (and 'required:', 'default:', 'help:')")
            continue
        for key in item:
            if key not in FIELD_KEYS:
                problem(where + (key,), f"unknown key {key!r} in a field (allowed: {', '.join(FIELD_KEYS)})", key=True)
        field_name = item.get("name")
        if not isinstance(field_name, str) or not FIELD_NAME_RE.match(field_name):
            problem(where, f"invalid field name {field_name!r}: use dotted names like customer.first_name")
            continue
        required = item.get("required", "default" not in item)
        if not isinstance(required, bool):
            problem(where + ("required",), "'required' must be true or false")
            required = True
        fields.append(Field(field_name, required, item.get("default"), str(item.get("help") or ""),
                            bool(item.get("private", field_name in PRIVATE))))  # fmt: skip
    findings.sort(key=lambda finding: (finding.location.line or 0, finding.location.column or 0))
    if any(not finding.soft for finding in findings):
        raise TemplateError(f"template has {len(findings)} problem(s)", Location(display), findings=findings)
    return Template(
        name=name, description=str(data.get("description") or ""), channel=channel, limit=limit,
        fields=tuple(fields), body="".join(lines[end + 1 :]), body_line=end + 2, path=display, pack=pack,
        findings=tuple(findings),
    )  # fmt: skip


def load_templates(packs: Sequence = ()) -> tuple[dict[str, Template], list[PhrasekitError]]:
    """Built-in templates, then each pack's ``templates/*.jinja``; a pack's template replaces a
    built-in (or earlier pack's) one of the same name."""
    from .folders import builtin_templates_dir
    from .packs import decodable, template_folders

    builtin = builtin_templates_dir()
    found: dict[str, Template] = {}
    problems: list[PhrasekitError] = []
    for folder, pack in template_folders(packs):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.glob("*.jinja") if decodable(p)):
            try:
                # A pack's templates must stay inside the pack, even through a linked templates/ folder.
                template = read_template(path, pack, root=folder if folder == builtin else folder.parent)
            except TemplateError as exc:
                problems.append(exc)
                continue
            earlier = found.get(template.name)
            if earlier is not None:
                template = replace(template, overrides=earlier.overrides + (f"{earlier.pack}: {earlier.path}",))
            found[template.name] = template
    return found, problems


def template_from_row(row: Mapping) -> Template:
    """A template as the index's catalogue keeps it (``Template.to_dict`` and ``body_line``);
    only its body is read from the file, past the front matter, without parsing YAML."""
    path = Path(row["path"])
    from .files import read_user_file

    try:
        lines = read_user_file(path, "template").decode("utf-8-sig", errors="replace").splitlines(keepends=True)
    except PhrasekitError as exc:
        raise TemplateError(exc.message, Location(str(path))) from None
    fields = tuple(Field(**item) for item in row["fields"])
    return Template(
        name=row["name"], description=row["description"], channel=row["channel"], limit=row["limit"],
        fields=fields, body="".join(lines[row["body_line"] - 1 :]), body_line=row["body_line"],
        path=row["path"], pack=row["pack"], overrides=tuple(row["overrides"]),
    )  # fmt: skip


def find_template(templates: Mapping[str, Template], name: str) -> Template:
    if name in templates:
        return templates[name]
    from difflib import get_close_matches

    close = get_close_matches(name, list(templates), n=2)
    hint = f"Did you mean: {', '.join(close)}?" if close else "See 'phrasekit templates list'."
    raise NotFoundError(f"no template named {name!r}", hint=hint)


def missing_fields(template: Template, details: Mapping) -> list[Field]:
    """Required fields that the case details leave empty."""
    return [f for f in template.fields if f.required and get_path(details, f.name) in (None, "")]


def with_defaults(template: Template, details: dict) -> dict:
    from .case import set_path

    for f in template.fields:
        if get_path(details, f.name) is None:
            set_path(details, f.name, "" if f.default is None else f.default)
    return details


PhrasePicker = Callable[[str, tuple[str, ...], int | None], "object | None"]


def render(template: Template, details: Mapping, pick: PhrasePicker) -> Rendered:
    """Render ``template`` with the case ``details``; ``pick(category, words, max_length)``
    returns the phrase (or ``None``) for ``phrase("category", ...)`` inside the template."""
    missing = missing_fields(template, details)
    if missing:
        raise missing_error(missing)
    from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    from .blanks import STANDARD, defaults, fill, names, values_from
    from .sandbox import BudgetedEnvironment, LimitExceeded, ReadOnlyError, render_budgeted, template_line

    used: list[str] = []
    unfilled: dict[str, str] = {}

    def phrase(category: str, *words: str, max_length: int | None = None) -> str:
        chosen = pick(str(category), tuple(str(w) for w in words), max_length)
        if chosen is None:
            raise RenderError(
                f"no phrase of category {category!r} fits this case",
                Location(template.path),
                hint="Add one to a pack, or choose one with --pick ID.",
            )
        used.append(chosen.full_id)
        values = values_from(details, names(chosen.text))
        for name in names(chosen.text):
            if name not in values and name not in defaults(chosen.text):
                unfilled[name] = STANDARD[name].help if name in STANDARD else ""
        return fill(chosen.text, values)

    env = BudgetedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.globals = {"phrase": phrase}

    def where(error: BaseException) -> Location:
        line = template_line(error, template.path)
        return Location(template.path, None if line is None else template.body_line + line - 1)

    try:
        # The template gets its own copy of the case: whatever it does, the guard and the
        # caller see the details as they were.
        text = render_budgeted(env, template.body, template.path, copy.deepcopy(dict(details)))
    except TemplateSyntaxError as exc:
        line = template.body_line + (exc.lineno or 1) - 1
        raise TemplateError(f"template syntax error: {exc.message}", Location(template.path, line)) from None
    except LimitExceeded as exc:
        raise TemplateLimitError(exc.message, where(exc), hint=exc.hint + " " + LIMIT_HINT) from None
    except RecursionError as exc:
        raise TemplateLimitError(
            "calls inside the template nest too deeply; stopped",
            where(exc),
            hint="Look for a macro that calls itself without an end. " + LIMIT_HINT,
        ) from None
    except ReadOnlyError as exc:
        raise TemplateError(
            f"refused: {exc}",
            where(exc),
            hint="Templates read the case without changing it; make new values with filters.",
        ) from None
    except SecurityError as exc:
        raise TemplateError(
            f"refused: the template reaches for Python internals ({exc}); nothing was run",
            where(exc),
        ) from None
    except UndefinedError as exc:
        missing = _jinja_global(exc.message)
        if missing:
            raise TemplateError(
                f"{missing}() is not available in phrasekit templates",
                where(exc),
                hint="Templates get the case details and phrase(); loop over the case's lists.",
            ) from None
        raise TemplateError(
            f"the template uses a value the case does not have ({exc.message})",
            where(exc),
            hint="Declare it under 'fields:' in the front matter so phrasekit can ask for it.",
        ) from None
    except RenderError:
        raise
    except Exception as exc:  # a template error at run time (bad filter call, division by zero...)
        raise TemplateError(f"template failed: {type(exc).__name__}: {exc}", where(exc)) from None
    if unfilled:
        raise MissingBlanks(unfilled, used)
    _guard_characters(template, details, text)
    subject, body = _split_subject(text)
    rendered = Rendered(template.name, template.channel, subject, body, template.limit, used,
                        getattr(pick, "family", None))  # fmt: skip
    if is_public(template.channel):
        _guard_public(template, details, rendered)
    return rendered


def _split_subject(text: str) -> tuple[str | None, str]:
    text = re.sub(r"\n{3,}", "\n\n", text.strip("\n")) + "\n"
    first, _, rest = text.partition("\n")
    if first.startswith("Subject:"):
        return first.removeprefix("Subject:").strip(), rest.lstrip("\n")
    return None, text


def _holding(details: Mapping, char: str, prefix: str = "") -> str | None:
    """The dotted name of a case detail whose text holds ``char``."""
    for key, value in details.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            found = _holding(value, char, f"{name}.")
            if found:
                return found
        elif isinstance(value, str) and char in value:
            return name
    return None


def _guard_characters(template: Template, details: Mapping, text: str) -> None:
    """A message to a customer never holds a control character (but line breaks and tabs), a
    bidi embedding, override or isolate, or a line separator: each would act on the terminal it
    is shown on, or reorder or hide what the customer reads. (A zero-width space or a bidi mark
    is written as it is, and shown as ``<U+200B>`` on the terminal.)"""
    from .visible import breaks_text, describe, hidden, shown

    char = next((char for _, char in hidden(text) if breaks_text(char)), None)
    if char is None:
        return
    what = f"{describe(char)} (shown as {shown(char)})"
    detail = _holding(details, char)
    if detail is not None:
        raise RenderError(f"refused: the case detail {detail} holds {what}",
                          hint="Remove it from the case file or --set value; a message to a customer never holds "
                               "a control character or a bidi override.")  # fmt: skip
    raise RenderError(f"refused: the template writes {what}", Location(template.path),
                      hint="Fix the template; a message to a customer never holds a control character or a bidi "
                           "override.")  # fmt: skip


def _guard_public(template: Template, details: Mapping, rendered: Rendered) -> None:
    """A public post never shows the customer's private details: not as given, not changed by
    the template (upper case, spaces taken out, a slice; see ``privacy.py``), and no email
    address or phone number at all."""
    from .privacy import leaks

    text = rendered.text
    private = sorted({f.name for f in template.fields if f.private} | set(PRIVATE))
    shown = [name if exact else f"{name} (changed, or a part of it)" for name, exact in leaks(text, details, private)]
    if EMAIL_RE.search(text):
        shown.append("an email address")
    if PHONE_RE.search(text):
        shown.append("a phone number")
    if shown:
        raise RenderError(
            f"refused: this public reply would show {', '.join(dict.fromkeys(shown))} "
            f"(template {template.name!r}, channel {template.channel}: anyone can read it)",
            Location(template.path),
            hint="Public replies move the conversation to a private channel; keep private details out "
            "(a filter such as upper or replace, or a slice, does not hide them).",
        )


def missing_error(missing: Sequence[Field]) -> RenderError:
    lines = [f"  {f.name}" + (f": {f.help}" if f.help else "") for f in missing]
    return RenderError(
        f"missing {len(missing)} required field(s):\n" + "\n".join(lines),
        hint="Give them in --case FILE or with --set KEY=VALUE (e.g. --set customer.first_name=Dana).",
    )


def check_length(rendered: Rendered) -> None:
    if rendered.limit is not None and rendered.length > rendered.limit:
        raise RenderError(
            f"the {rendered.channel} text is {rendered.length} characters, over the limit of {rendered.limit}",
            hint="Shorten the case details (case.resolution, case.next_steps), or pass --allow-long.",
        )


def picked_phrases(lookup: Callable[[str], object], picks: Sequence[str], details: Mapping) -> dict[str, object]:
    """The phrases the rep chose (``--pick ID``, or the case's ``phrases:`` list or mapping), by
    category; ``lookup(id)`` finds one (``Index.lookup``) or raises ``NotFoundError``."""
    wanted = list(picks)
    case_picks = details.get("phrases")
    if isinstance(case_picks, dict):
        wanted += [str(v) for v in case_picks.values()]
    elif isinstance(case_picks, list):
        wanted += [str(v) for v in case_picks]
    chosen = {}
    for phrase_id in wanted:
        phrase = lookup(phrase_id)
        chosen[phrase.category] = phrase
    return chosen


SITUATED_LISTED = 500
"""Most phrases in no family but written for a situation that ``make_picker`` lists to learn
which categories have one, before ranking only for those: a bank with its phrases in families
has a few; past this many (a team pack of its own phrases), every category is ranked for."""


_GREETING_RE = re.compile(r"(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b", re.IGNORECASE)
_SIGNED_RE = re.compile(r"(?:\{agent(?:\|[^{}]*)?\}|\^[A-Z]{1,3})\W*$")


def whole_reply(text: str) -> bool:
    """Whether a phrase is a whole reply (an imported macro: paragraphs, a greeting, a sign-off)
    rather than words a template can set inside its own paragraph; a template never picks one
    by itself (``--pick`` still can)."""
    text = text.strip()
    signed = bool(_SIGNED_RE.search(text))  # ends with the agent's name: a sign-off of its own
    return "\n" in text or signed or bool(_GREETING_RE.match(text))


def make_picker(index, details: Mapping, channel: str, picks: Mapping[str, object], semantic=None) -> PhrasePicker:
    """The ``phrase()`` of templates: the best phrase of a category written for the case's issue
    (its family), or a general one when the family has none that fits or no family fits the
    issue; never another family's words. The same inputs always give the same phrase.
    Words passed after the category (``phrase("thank-you", "patience")``) say what the template
    wants. A phrase the rep picked (``--pick ID`` or the case's ``phrases:``) wins for its
    category, and a phrase is not used twice in one text. ``pick.family`` is the family chosen."""
    from .blanks import fill, names, values_from
    from .search import family_for, phrases_for, rank_phrases

    issue = str(get_path(details, "case.issue") or "")
    family = family_for(index, issue, semantic)
    used: set[str] = set()
    # Only a phrase in no family written for a situation can come from the ranking below: with
    # none of a category for this channel there is nothing to rank for (a bank with no team pack).
    situated = index.situated_without_family(SITUATED_LISTED)
    ranked = None if situated is None else {index.category_of(d) for d in situated if index.fits_channel(d, channel)}

    def fits(phrase, max_length: int | None) -> bool:
        if whole_reply(phrase.text):
            return False
        text = fill(phrase.text, values_from(details, names(phrase.text)))
        return phrase.full_id not in used and (max_length is None or len(text) <= max_length)

    def pick(category: str, words: tuple[str, ...], max_length: int | None):
        chosen = picks.get(category)
        if chosen is not None:
            return chosen
        # A team's own phrase written for the issue (by its situations, in no family) comes first.
        query = " ".join([issue, *words]).strip()
        asked = query and (ranked is None or category in ranked)
        hits = rank_phrases(index, query, categories=[category], channel=channel, limit=10) if asked else []
        candidates = [h.phrase for h in hits if not h.fallback and h.phrase.family is None and not h.phrase.general]
        for source in dict.fromkeys([family, None]):
            candidates += phrases_for(index, source, category, channel, " ".join(words))
        for phrase in candidates:
            if fits(phrase, max_length):
                used.add(phrase.full_id)
                return phrase
        return None

    pick.family = family  # type: ignore[attr-defined]
    return pick


def _warn_vague_when(values: Mapping, warn: Callable[[str], None] | None) -> None:
    """Say so when ``case.when`` names no time the customer can hold the rep to ("soon",
    "shortly"): the follow-up promises it in writing. A warning, not a refusal: the rep may mean
    a condition ("once the part arrives")."""
    when = str(get_path(values, "case.when") or "").strip()
    if warn is None or not when:
        return
    from .reading import names_time

    if not names_time(when):
        warn(f"case.when is {when!r}, which names no time the customer can hold you to; "
             "give a day, a date or an hour (e.g. 'by 5pm on Friday')")  # fmt: skip


Ask = Callable[[str, str], str]
"""``ask(name, help)``: the value of a missing field or blank, from the rep."""


@recovering
def render_follow_up(
    name: str,
    *,
    paths: Sequence[str] = (),
    case_file: str | None = None,
    sets: Sequence[str] = (),
    details: Mapping | None = None,
    picks: Sequence[str] = (),
    ask: Ask | None = None,
    allow_long: bool = False,
    output: str | Path | None = None,
    force: bool = False,
    mode: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> Rendered:
    """Render the follow-up template ``name`` for a case.

    The details are the config's defaults, then ``case_file``, then ``sets`` (``KEY=VALUE``),
    then ``details`` (one deep merge). Phrases are chosen for the case's issue (``case.issue``);
    ``picks`` are phrase ids to use for their categories. A missing required field or blank is
    asked for with ``ask(name, help)`` when given, else it is a ``RenderError`` listing them
    all. A result over the channel's limit is a ``RenderError`` unless ``allow_long``; with
    ``output`` the text is also written there (atomically; an existing file only with ``force``)."""
    from .case import case_details, derive, set_path
    from .catalogue import templates_in_force
    from .search import semantic_view

    index, found = templates_in_force(paths, warn)
    template = find_template(found, name)
    values = case_details(case_file, sets, details=details)
    missing = missing_fields(template, values)
    if missing and ask is not None:
        for f in missing:
            set_path(values, f.name, ask(f.name, f.help))
        derive(values)
        missing = missing_fields(template, values)
    if missing:
        raise missing_error(missing)
    with_defaults(template, values)
    _warn_vague_when(values, warn)
    chosen = picked_phrases(index.lookup, picks, values)
    semantic = semantic_view(index, mode, paths, progress, warn)
    while True:
        try:
            rendered = render(template, values, make_picker(index, values, template.channel, chosen, semantic))
            break
        except MissingBlanks as error:
            if ask is None:
                raise
            for blank, help_text in error.blanks.items():
                set_path(values, f"case.{blank}", ask(blank, help_text))
    for category, phrase in chosen.items():
        if phrase.full_id not in rendered.phrases:
            report(f"--pick {phrase.full_id} was not used: the template {template.name} asks for no "
                   f"{category} phrase (its category)", warn)  # fmt: skip
    if not allow_long:
        check_length(rendered)
    if output:
        from .files import write_atomic

        write_atomic(output, rendered.text, force=force, make_folder=False)
    return rendered
