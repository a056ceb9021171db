"""Other tools' placeholders, read as phrasekit blanks and written back in each tool's spelling.

Every helpdesk spells "the customer's first name" its own way (``{{ticket.requester.first_name}}``,
``{{contact.first_name}}``, ``#{ticket.customer.firstname}``, ``{%customer.firstName%}``). An
imported reply must fill from the case like any phrase, so each spelling becomes the standard
blank it means (``{customer}``); what phrasekit cannot know (``{{dc.refund_policy}}``, a
``[NAME]`` left for the rep to type over) becomes a blank of the pack's own and is reported, never
kept as raw text a rep could send by mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..blanks import BLANK_NAME_RE, STANDARD

# What a placeholder's object is about, by its dotted path without the last part (lowercase).
PEOPLE = {
    "customer": (
        "ticket.requester",
        "requester",
        "ticket.customer",
        "customer",
        "contact",
        "ticket.contact",
        "conversation.contact",
        "end_user",
        "visitor",
        "user.customer",
    ),
    "agent": (
        "current_user",
        "user",
        "agent",
        "ticket.assignee",
        "assignee",
        "ticket.owner",
        "owner",
        "ticket.agent",
        "conversation.assignee",
        "sender",
        "me",
    ),
}
NAME_PARTS = ("first_name", "firstname", "name", "full_name", "fullname", "display_name", "displayname")
"""The attributes of a person that mean their name (a greeting uses the first name, and
phrasekit's ``{customer}`` and ``{agent}`` are the name said to the customer)."""
CASE_NUMBERS = (
    "ticket.id",
    "ticket.number",
    "ticket.nice_id",
    "conversation.id",
    "conversation.number",
    "conversation.display_id",
    "case.id",
    "case.number",
    "ticket_id",
    "ticket_number",
)
COMPANY = (
    "ticket.account",
    "ticket.brand.name",
    "brand.name",
    "account.name",
    "helpdesk_name",
    "ticket.portal_name",
    "portal_name",
    "mailbox.name",
    "config.product_name",
    "company.name",
    "inbox.name",
)
"""Our own company's name as each tool spells it. ``ticket.organization.name`` is the customer's
company, not ours, so it is not here."""

# How a blank is written back, per tool; a blank with no spelling there is written as a marker
# the agent types over, ``[when]`` (read back as the same blank).
SPELLING = {
    "zendesk": {
        "customer": "ticket.requester.first_name",
        "agent": "current_user.name",
        "reference": "ticket.id",
        "company": "ticket.brand.name",
    },
    "chatwoot": {
        "customer": "contact.first_name",
        "agent": "agent.name",
        "reference": "conversation.id",
        "company": "account.name",
    },
}

# Words in a hand-filled marker's or a form field's name that say which standard blank it is.
_HINTS = (
    ("order", "order"),
    ("ticket", "reference"), ("case", "reference"), ("reference", "reference"), ("ref", "reference"),
    ("agent", "agent"), ("rep", "agent"), ("my", "agent"), ("your", "agent"),
    ("company", "company"), ("brand", "company"),
    ("amount", "amount"), ("total", "amount"), ("price", "amount"),
    ("date", "date"), ("product", "product"), ("item", "product"), ("plan", "plan"), ("team", "team"),
    ("customer", "customer"), ("client", "customer"), ("first", "customer"), ("firstname", "customer"),
    ("fullname", "customer"),
)  # fmt: skip
"""Checked in this order, so "agent name" and "your name" (the one signing) are the agent and
"order number" the order; a bare "name" is the customer's (below)."""
_DETAILS = frozenset({"email", "mail", "phone", "mobile", "address", "last", "lastname", "surname", "organization",
                      "organisation", "org", "signature", "url", "link", "subject", "title", "rating", "field",
                      "config", "group", "hook", "words", "policy"})  # fmt: skip
"""Words that make a name another detail of that person or thing ("customer email", "ticket
field", "agent signature"), which no standard blank holds."""

_LIQUID_RE = re.compile(r"\{\{(.*?)\}\}", re.S)
_LIQUID_TAG_RE = re.compile(
    r"\{%-?\s*(if|unless|elsif|else|endif|endunless|for|endfor|case|when|assign|capture"
    r"|endcapture|raw|endraw|comment|endcomment|include|render)\b.*?%\}",
    re.S,
)
_HELPSCOUT_RE = re.compile(r"\{%\s*([A-Za-z_][\w.]*)\s*(?:,\s*fallback\s*=\s*([^%]*?))?\s*%\}")
_ZAMMAD_RE = re.compile(r"#\{\s*([A-Za-z_]\w*\.[\w.()]*)\s*\}")  # always an object and a part: #{ticket.number}
_OWN_RE = re.compile(r"\{([a-z][a-z0-9_]*)(\|[^{}\n]*)?\}")
_MARKER_RES = (
    re.compile(
        r"\[\s*((?:insert|add|enter|type|put|your)\b[^\[\]\n]{0,60}?|[A-Z][A-Z0-9 _#'./&-]{1,40}?)\s*\](?!\()", re.I
    ),
    re.compile(r"\{\s*([A-Za-z][^{}\n]{0,60}?)\s*\}"),  # {Insert tracking link}, {tracking link here}
    re.compile(r"<<\s*([A-Za-z][\w .'-]{0,40}?)\s*>>"),
    re.compile(r"(?<![\w*])(X{3,}|_{3,}|\*{3,})(?![\w*])"),
    re.compile(r"(?<!\w)([£$€]\s?X{1,3}(?:[.,]X{2})?)(?!\w)"),  # £X, $XX.XX: an amount to type
)
_DEFAULT_RE = re.compile(r"""^(?:default|fallback)\s*:?\s*(?:'([^']*)'|"([^"]*)"|(\S+))\s*$""")


@dataclass
class Converted:
    """An imported text as phrasekit wrote it, and what a lead should look at."""

    text: str
    blanks: dict[str, str] = field(default_factory=dict)
    """Blanks of the pack's own that the text now uses: name -> what it was in the source."""
    notes: list[str] = field(default_factory=list)
    refused: str | None = None
    """Why the text cannot become a phrase at all (logic a phrase cannot hold)."""
    spellings: dict[str, str] = field(default_factory=dict)
    """How the source wrote each blank of the pack's own (``{{dc.refund_policy}}``), so an export
    back to the same tool writes it that way again."""


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    return [word for word in re.split(r"[^a-z0-9]+", spaced.lower()) if word]


def blank_for_name(name: str) -> str | None:
    """The standard blank a free-form name means ("ORDER NUMBER", "customer_name", "agent"), or
    ``None`` (``customer_email``, ``group_name``: another detail)."""
    words = _words(name)
    if not words:
        return None
    joined = "_".join(words)
    if joined in STANDARD:
        return joined
    if _DETAILS.intersection(words):
        return None
    for hint, blank in _HINTS:
        if hint in words:
            return blank
    if words == ["name"] or words == ["full", "name"]:
        return "customer"
    return None


def own_blank_name(name: str) -> str:
    """A blank name of the pack's own made from a placeholder or marker ("Insert tracking link"
    -> ``tracking_link``)."""
    words = [word for word in _words(name) if word not in ("insert", "add", "enter", "type", "put", "here", "the")]
    candidate = "_".join(words)[:40].strip("_") or "fill_in"
    if not candidate[0].isalpha():
        candidate = "field_" + candidate
    return candidate if BLANK_NAME_RE.match(candidate) else "fill_in"


def blank_for_path(path: str) -> str | None:
    """The standard blank a tool's dotted placeholder means (``ticket.requester.first_name`` ->
    ``customer``), or ``None``."""
    key = re.sub(r"\s+", "", path).lower()
    if key in CASE_NUMBERS:
        return "reference"
    if key in COMPANY:
        return "company"
    owner, _, attribute = key.rpartition(".")
    for blank, objects in PEOPLE.items():
        if owner in objects and attribute in NAME_PARTS:
            return blank
    if key in ("first_name", "firstname", "name", "customer_name", "contact_name"):  # Intercom's and others' bare names
        return "customer"
    last = key.rsplit(".", 1)[-1]
    if "order" in _words(last) or last.startswith(("cf_order", "order")):
        return "order"
    return None


def _own_from_path(path: str) -> str:
    """A blank name for a placeholder phrasekit has no standard blank for: its last two parts
    (``ticket.customer.lastname`` -> ``customer_lastname``), a tool's prefix left off
    (``dc.refund_policy`` -> ``refund_policy``)."""
    key = re.sub(r"\s+", "", path).lower()
    owner, _, attribute = key.rpartition(".")
    for blank, objects in PEOPLE.items():
        if owner in objects and attribute:
            return own_blank_name(f"{blank}_{attribute}")
    parts = [part for part in key.split(".") if part]
    parts = [
        part
        for part in parts
        if part not in ("dc", "ticket", "conversation", "custom_attribute", "custom_attributes", "custom_fields")
    ] or parts
    return own_blank_name("_".join(parts[-2:]) if parts else path)


def _help(name: str) -> str:
    """A pack blank's help text: the same whichever spelling it was read from, so a pack reads
    back the same from its own export (the report says what each was in the original)."""
    return f"{name.replace('_', ' ')}: a detail the imported reply left to fill in"


def _default_of(filters: list[str]) -> str | None:
    for part in filters:
        match = _DEFAULT_RE.match(part.strip())
        if match:
            return next(group for group in match.groups() if group is not None)
    return None


def _blank(name: str, default: str | None) -> str:
    default = (default or "").replace("{", "").replace("}", "").replace("\n", " ").strip()
    return f"{{{name}|{default}}}" if default else f"{{{name}}}"  # an empty fallback is no default


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def to_blanks(text: str, tool: str, resolve=None, known: frozenset[str] = frozenset()) -> Converted:
    """``text`` with every placeholder and hand-filled marker as a phrasekit blank, literal braces
    doubled. ``resolve(expression)`` may answer first for a tool's own variables (espanso's form
    fields): ``(blank, default, note)`` or ``None``. ``known`` holds the pack's own blank names,
    read back as they are."""
    result = Converted(text="")
    logic = _LIQUID_TAG_RE.search(text)
    if logic:
        result.refused = (
            f"it holds {tool} template logic ({{% {logic.group(1)} %}}), which a phrase cannot: "
            "rewrite it as plain words, then import it again"
        )
        return result
    pieces: list[tuple[int, int, str]] = []  # (start, end, replacement)

    def take(start: int, end: int, replacement: str) -> None:
        if not any(start < e and s < end for s, e, _ in pieces):
            pieces.append((start, end, replacement))

    def placeholder(start: int, end: int, expression: str, default: str | None, written: str) -> None:
        answer = resolve(expression) if resolve is not None else None
        if answer is not None:
            name, own_default, note = answer
            if note:
                result.notes.append(note)
            if name not in STANDARD:
                result.blanks.setdefault(name, _help(name))
            take(start, end, _blank(name, default if default is not None else own_default))
            return
        blank = blank_for_path(expression)
        if blank is None:
            blank = _own_from_path(expression)
            if blank in STANDARD:
                blank = f"{blank}_detail"
            result.blanks.setdefault(blank, _help(blank))
            result.spellings.setdefault(blank, written)
            result.notes.append(f"unknown placeholder {written}: now the blank {{{blank}}}; fill it or reword")
        take(start, end, _blank(blank, default))

    for match in _LIQUID_RE.finditer(text):
        expression, *filters = match.group(1).split("|")
        if not expression.strip():
            continue
        placeholder(match.start(), match.end(), expression.strip(), _default_of(filters), match.group(0).strip())
    for match in _HELPSCOUT_RE.finditer(text):
        placeholder(match.start(), match.end(), match.group(1), match.group(2), match.group(0))
    for match in _ZAMMAD_RE.finditer(text):
        placeholder(match.start(), match.end(), match.group(1), None, match.group(0))
    for match in _OWN_RE.finditer(text):  # phrasekit's own spelling ({when}, {time_slot}), as a CSV export writes it
        name = match.group(1)
        if name not in STANDARD and name not in known:
            result.blanks.setdefault(name, _help(name))
        take(match.start(), match.end(), match.group(0))
    anonymous = 0
    for number, pattern in enumerate(_MARKER_RES):
        for match in pattern.finditer(text):
            inside = match.group(1).strip()
            if number == 0 and BLANK_NAME_RE.match(inside) and ("_" in inside or inside in STANDARD or inside in known):
                # ``[when]``, ``[tracking_link]``: a blank as an export writes it where the tool has no placeholder
                if inside not in STANDARD and inside not in known:
                    result.blanks.setdefault(inside, _help(inside))
                take(match.start(), match.end(), f"{{{inside}}}")
                continue
            if inside[:1] in "£$€":
                blank = "amount"
            elif set(inside) <= {"X", "_", "*"}:  # XXX, ___, ***: each one a different thing to type
                anonymous += 1
                blank = "fill_in" if anonymous == 1 else f"fill_in_{anonymous}"
            else:
                blank = blank_for_name(inside) or own_blank_name(inside)
            if blank not in STANDARD:
                result.blanks.setdefault(blank, _help(blank))
            before = len(pieces)
            take(match.start(), match.end(), f"{{{blank}}}")
            if len(pieces) > before:
                result.notes.append(f"hand-filled marker {match.group(0)}: now the blank {{{blank}}}; check it")
    out, position = [], 0
    for start, end, replacement in sorted(pieces):
        out.append(_escape(text[position:start]))
        out.append(replacement)
        position = end
    out.append(_escape(text[position:]))
    result.text = "".join(out)
    return result


def from_blanks(parts: list, tool: str, written: dict[str, str] | None = None) -> str:
    """A phrase's parsed text (``blanks.parse``) in ``tool``'s spelling: its placeholders where it
    has one, the spelling an import from this tool read (``written``: ``{{dc.refund_policy}}``),
    else ``[name]`` where the agent types the value over."""
    spelling = SPELLING.get(tool, {})
    written = written or {}
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        name, default = part[0], (part[1] if len(part) == 2 else None)
        path = spelling.get(name)
        if name in written:
            out.append(written[name])
        elif path is None:
            out.append(f"[{name}]")
        elif default is None:
            out.append(f"{{{{{path}}}}}")
        else:
            quote = "'" if "'" not in default else '"'
            out.append(f"{{{{{path} | default: {quote}{default}{quote}}}}}")
    return "".join(out)
