"""Reading a draft reply before it goes out: what would make an upset customer angrier.

The rules are data (``rules.yaml`` beside this module, plus each pack's ``avoid:`` entries). A
rule reads context: a ``match:`` hit is dropped when an ``unless:`` expression is in the same
sentence, so "I'll phone you back at 3pm today" is a committed callback, not "call back later".
The checker returns findings and never prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .channels import LIMITS as CHANNEL_LIMITS
from .channels import PUBLIC
from .errors import Location, PhrasekitError
from .index import recovering

KINDS = ("reply", "follow-up")
FOLLOW_UP_RE = re.compile(
    r"\b(?:following up|follow(?:ed|ing)? up on|as promised|an update on|update on your|checking (?:in|back)|"
    r"wanted to update you|here'?s (?:an|a quick) update|quick update|just to update you|sorry again|"
    r"as discussed|since we (?:spoke|talked|last spoke)|(?:thanks|thank you) (?:again )?for (?:bearing with|"
    r"sticking with|your patience while|confirming)|while (?:we|I) (?:looked into|chased|checked|investigated))\b",
    re.IGNORECASE,
)
SENTENCE_END_RE = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n")
PRIVATE_ASK_RE = re.compile(
    r"\b(?:reply|comment|post|share|send|give|tell|provide|include|confirm|let us know|DM)\b[^.?!\n]{0,40}"
    r"\b(?:your|the)\s+(?:\w+\s+){0,2}(?:email|e-mail|phone|mobile|number|address|account|order|card|password|"
    r"pin|date of birth|postcode|zip)",
    re.IGNORECASE,
)


class CheckError(PhrasekitError):
    """Bad input for the checker: an unreadable draft or a broken rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    message: str
    suggest: str = ""
    match: tuple[re.Pattern, ...] = ()
    unless: tuple[re.Pattern, ...] = ()
    require: tuple[re.Pattern, ...] = ()
    repeated: tuple[str, ...] = ()
    limits: tuple[tuple[str, int], ...] = ()
    kinds: tuple[str, ...] = KINDS
    channels: tuple[str, ...] = ()
    source: str = "builtin"

    def applies(self, kind: str, channel: str | None) -> bool:
        return kind in self.kinds and (not self.channels or channel in self.channels)


@dataclass
class CheckFinding:
    location: Location
    rule: str
    message: str
    excerpt: str = ""
    suggestion: str | None = None
    suggestion_id: str | None = None

    def __str__(self) -> str:
        text = f"{self.location}: {self.rule} {self.message}"
        if self.excerpt:
            text += f' ("{self.excerpt}")'
        if self.suggestion:
            text += f" (try: {self.suggestion})"
        return text

    def to_dict(self) -> dict:
        return {
            "path": self.location.path, "line": self.location.line, "column": self.location.column,
            "rule": self.rule, "message": self.message, "excerpt": self.excerpt,
            "suggestion": self.suggestion, "suggestion_id": self.suggestion_id,
        }  # fmt: skip


def asks_for_private_details(text: str) -> bool:
    return bool(PRIVATE_ASK_RE.search(text))


def _compile(patterns, flags: int, where: Location) -> tuple[re.Pattern, ...]:
    compiled = []
    for pattern in patterns or ():
        try:
            compiled.append(re.compile(str(pattern), flags))
        except re.error as exc:
            raise CheckError(f"invalid regular expression {pattern!r}: {exc.msg}", where) from None
    return tuple(compiled)


def _limits(raw) -> tuple[tuple[str, int], ...]:
    """A rule's ``limits:``: a mapping of channel to characters, or ``channels`` for the declared ones."""
    if raw == "channels":
        raw = CHANNEL_LIMITS
    return tuple((str(k), int(v)) for k, v in (raw or {}).items())


def rule_from_data(data: dict, where: Location, source: str = "builtin") -> Rule:
    flags = 0 if data.get("case") else re.IGNORECASE
    return Rule(
        id=str(data["id"]),
        message=str(data["message"]),
        suggest=str(data.get("suggest") or ""),
        match=_compile(data.get("match"), flags, where),
        unless=_compile(data.get("unless"), re.IGNORECASE, where),
        require=_compile(data.get("require"), re.IGNORECASE, where),
        repeated=tuple(str(p) for p in data.get("repeated") or ()),
        limits=_limits(data.get("limits")),
        kinds=tuple(data.get("kinds") or KINDS),
        channels=PUBLIC if data.get("channels") == "public" else tuple(data.get("channels") or ()),
        source=source,
    )


def builtin_rules() -> list[Rule]:
    from .yamlfile import load_yaml

    path = Path(__file__).resolve().parent / "rules.yaml"
    doc = load_yaml(path)
    return [rule_from_data(item, doc.location(("rules", n))) for n, item in enumerate(doc.data["rules"])]


def pack_rules(packs: Iterable) -> list[Rule]:
    """Each pack's ``avoid:`` entries as rules (already checked by pack validation)."""
    rules = []
    for pack in packs:
        for number, entry in enumerate(pack.avoid, start=1):
            rules.append(rule_from_data({
                "id": entry.get("id") or f"{pack.name}/avoid-{number}",
                "message": entry["reason"],
                "suggest": entry.get("suggest") or "",
                "match": [entry["pattern"]],
                "unless": entry.get("unless") or [],
            }, Location(pack.path), source=pack.name))  # fmt: skip
    return rules


def guess_kind(text: str) -> str:
    return "follow-up" if FOLLOW_UP_RE.search(text) else "reply"


def _position(text: str, offset: int, path: str) -> Location:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Location(path, line, column)


def _sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    start = 0
    for found in SENTENCE_END_RE.finditer(text):
        if found.end() <= offset:
            start = found.end()
        else:
            return start, found.end()
    return start, len(text)


QUOTE_RE = re.compile(r'"[^"\n]{1,200}"|\u201c[^\u201d\n]{1,200}\u201d|(?<!\w)\'[^\'\n]{4,200}\'(?!\w)')


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Words in quotation marks are someone else's (often the customer's), not the draft's."""
    return [m.span() for m in QUOTE_RE.finditer(text)]


def _words(text: str) -> list[tuple[str, int]]:
    """Lowercase words with their offsets; British and American spellings folded (-ise/-ize)."""
    return [(re.sub(r"is(e[sd]?|ing)$", r"iz\1", m.group(0).lower()), m.start())
            for m in re.finditer(r"[A-Za-z0-9']+", text)]  # fmt: skip


def check_text(
    text: str, rules: Sequence[Rule], *, channel: str | None = None, kind: str | None = None, path: str = "-"
) -> list[CheckFinding]:
    """Every finding in a draft, in reading order."""
    kind = kind or guess_kind(text)
    original = text
    text = re.sub(r"(?<!\n)\n(?!\n)", " ", text)  # wrapped lines read as one; offsets unchanged
    quoted = _quoted_spans(text)
    findings: list[CheckFinding] = []
    flagged: set[tuple[str, int]] = set()  # one finding per rule and sentence
    for rule in rules:
        if not rule.applies(kind, channel):
            continue
        for pattern in rule.match:
            for hit in pattern.finditer(text):
                if any(a <= hit.start() < b for a, b in quoted):
                    continue
                start, end = _sentence_bounds(text, hit.start())
                sentence = text[start:end]
                if (rule.id, start) in flagged or any(u.search(sentence) for u in rule.unless):
                    continue
                flagged.add((rule.id, start))
                findings.append(CheckFinding(_position(original, hit.start(), path), rule.id, rule.message,
                                             hit.group(0).strip()))  # fmt: skip
        if rule.require and not any(p.search(text) for p in rule.require):
            findings.append(CheckFinding(Location(path, 1, 1), rule.id, rule.message))
        if rule.repeated:
            findings += _repeats(original, rule, path)
        for limit_channel, limit in rule.limits:
            if channel == limit_channel and len(text.strip()) > limit:
                findings.append(CheckFinding(Location(path, 1, 1), rule.id,
                                             f"{rule.message}: {len(text.strip())} characters, over the "
                                             f"{channel} limit of {limit}"))  # fmt: skip
    unique: dict[tuple, CheckFinding] = {}
    for finding in findings:
        unique.setdefault((finding.rule, finding.location.line, finding.location.column), finding)
    return sorted(unique.values(), key=lambda f: (f.location.line or 0, f.location.column or 0, f.rule))


def _repeats(text: str, rule: Rule, path: str) -> list[CheckFinding]:
    """A stock phrase used twice, or any run of five words (two of them four letters or more)
    said twice: either reads as scripted."""
    words = _words(text)
    found = []
    stock = [tuple(w for w, _ in _words(phrase)) for phrase in rule.repeated]
    runs: dict[tuple[str, ...], int] = {}
    reported: set[int] = set()
    for start in range(len(words)):
        for phrase in stock:
            if tuple(w for w, _ in words[start : start + len(phrase)]) == phrase:
                runs.setdefault(phrase, -1)
                if runs[phrase] >= 0 and start not in reported:
                    found.append(
                        CheckFinding(
                            _position(text, words[start][1], path),
                            rule.id,
                            rule.message,
                            text[words[start][1] : words[start + len(phrase) - 1][1] + 8].strip(),
                        )
                    )
                    reported.add(start)
                runs[phrase] = start
        gram = tuple(w for w, _ in words[start : start + 5])
        if len(gram) == 5 and sum(len(w) >= 4 for w in gram) >= 2:
            first = runs.get(gram)
            if first is None:
                runs[gram] = start
            elif start >= first + 5 and not reported & set(range(start - 4, start + 1)):
                found.append(CheckFinding(_position(text, words[start][1], path), rule.id, rule.message,
                                          " ".join(gram)))  # fmt: skip
                reported.add(start)
    return found


def _unfolded_offset(text: str, folded: int) -> int:
    """The offset in ``text`` of position ``folded`` in its whitespace-folded lowercase form."""
    for count, match in enumerate(re.finditer(r"\s+|\S", text)):
        if count >= folded:
            return match.start()
    return len(text)


def suggest(findings: list[CheckFinding], rules: Sequence[Rule], index, draft: str, channel: str | None) -> None:
    """Fill each finding's suggestion with a phrase from the bank: the rule's phrase id, or a phrase
    of its category from the family the draft is about (the general ones when none fits), blanks
    shown as ``[when]``."""
    from .blanks import fill
    from .search import family_for, phrases_for

    by_id = {rule.id: rule for rule in rules}
    cache: dict[str, tuple[str, str] | None] = {}
    topic = draft  # what the draft is about, without the words the rules flag
    for rule in rules:
        for pattern in rule.match:
            topic = pattern.sub(" ", topic)
    family = family_for(index, topic)
    for finding in findings:
        target = by_id[finding.rule].suggest if finding.rule in by_id else ""
        if not target:
            continue
        if target not in cache:
            cache[target] = None
            if "/" in target:
                phrase = index.find(target)
                if phrase is not None:
                    cache[target] = (phrase.full_id, fill(phrase.text, {}))
            else:
                for source in dict.fromkeys([family, None]):
                    found = phrases_for(index, source, target, channel, topic)
                    short = [p for p in found if len(p.text) <= 120] or found
                    if short:
                        cache[target] = (short[0].full_id, fill(short[0].text, {}))
                        break
        if cache[target]:
            finding.suggestion_id, finding.suggestion = cache[target]


def read_draft(source: str) -> tuple[str, str]:
    """The draft's text and the name to report it under; ``-`` reads standard input
    (``files.read_input``: UTF-8 text, bounded, never a pipe or a device by name)."""
    from .files import read_input

    try:
        return read_input(source, "the draft")
    except PhrasekitError as exc:
        raise CheckError(exc.message, exc.location, exc.hint) from None


@dataclass(frozen=True)
class CheckResult:
    """What ``check_draft`` found in a draft, in reading order, and how it read it."""

    findings: list[CheckFinding]
    kind: str
    """``reply`` or ``follow-up`` (given, or guessed from the draft)."""
    channel: str | None
    name: str
    """The name the draft is reported under (its file, or ``-``)."""

    @property
    def clean(self) -> bool:
        return not self.findings


@recovering
def check_draft(
    text: str,
    *,
    name: str = "-",
    channel: str | None = None,
    kind: str | None = None,
    paths: Sequence[str] = (),
    warn=None,
) -> CheckResult:
    """Read a draft reply and find what would make an upset customer angrier: the built-in
    rules and each pack's ``avoid:`` entries, each finding with its line and column in the
    draft and, where the bank has one, a phrase to use instead."""
    from .catalogue import open_index

    if not text.strip():
        raise CheckError("the draft is empty")
    index = open_index(paths, warn)
    rules = builtin_rules() + pack_rules(index.avoid())
    kind = kind or guess_kind(text)
    findings = check_text(text, rules, channel=channel, kind=kind, path=name)
    if findings:
        suggest(findings, rules, index, text, channel)
    return CheckResult(findings, kind, channel, name)
