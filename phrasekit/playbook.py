"""The de-escalation playbook: a six-step script for a situation, built from the packs in force.

Each step of the practice draws on some categories; a pack's own category joins a step when it
declares ``step:``. For every step the best phrases for the situation are chosen (team packs
first where they fit, as in search), falling back to the category's general phrases when none
is written for the situation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from .categories import STEPS, Step
from .channels import is_public
from .index import recovering
from .model import Hit

DM_RE = re.compile(r"\b(DM|direct message|private message|message us privately)\b", re.IGNORECASE)
SECOND_CHOICE_SHARE = 0.75
SOCIAL_GUIDANCE = " On social media, move to a private channel early and never ask for details in public."


class ScriptStep:
    """One step of a script: the step, its guidance and its best phrases."""

    __slots__ = ("step", "guidance", "hits")

    def __init__(self, step: Step, guidance: str, hits: list[Hit] | None = None) -> None:
        self.step, self.guidance = step, guidance
        self.hits = hits if hits is not None else []

    def __repr__(self) -> str:
        return f"ScriptStep(step={self.step.number}, guidance={self.guidance!r}, hits={self.hits!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScriptStep):
            return NotImplemented
        return (self.step, self.guidance, self.hits) == (other.step, other.guidance, other.hits)

    def to_dict(self) -> dict:
        return {
            "step": self.step.number,
            "name": self.step.name,
            "guidance": self.guidance,
            "phrases": [
                {"id": h.phrase.full_id, "category": h.phrase.category, "text": h.phrase.text,
                 "blanks": h.phrase.blanks, "score": round(h.score, 4)}
                for h in self.hits
            ],
        }  # fmt: skip


class Script:
    """A script for a situation: the six steps, the family their phrases came from (``None``:
    the general phrases) and ``details``, the case details that fill the phrases' blanks.

    Plain classes, not dataclasses: generating a dataclass's methods costs every ``script``'s
    start-up more than building the script."""

    __slots__ = ("situation", "channel", "steps", "family", "details")

    def __init__(self, situation: str, channel: str | None, steps: list[ScriptStep], family: str | None = None,
                 details: dict | None = None) -> None:  # fmt: skip
        self.situation, self.channel, self.steps, self.family = situation, channel, steps, family
        self.details = details if details is not None else {}

    def __repr__(self) -> str:
        return (f"Script(situation={self.situation!r}, channel={self.channel!r}, family={self.family!r}, "
                f"steps={self.steps!r})")  # fmt: skip

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Script):
            return NotImplemented
        mine = (self.situation, self.channel, self.steps, self.family, self.details)
        return mine == (other.situation, other.channel, other.steps, other.family, other.details)

    def to_dict(self) -> dict:
        """The script as JSON; each phrase with ``filled``, its text with the given blanks filled."""
        from .blanks import fill, values_from

        rows = {"situation": self.situation, "channel": self.channel, "family": self.family,
                "steps": [s.to_dict() for s in self.steps]}  # fmt: skip
        for step in rows["steps"]:
            for phrase in step["phrases"]:
                phrase["filled"] = fill(phrase["text"], values_from(self.details, phrase["blanks"]))
        return rows


def _asks_publicly(text: str) -> bool:
    """A phrase that asks for details without moving to a private channel: not for a public post."""
    from .check import asks_for_private_details

    return asks_for_private_details(text) and not DM_RE.search(text)


@recovering
def build_script(
    situation: str,
    *,
    paths: Sequence[str] = (),
    channel: str | None = None,
    mode: str | None = None,
    case_file: str | None = None,
    sets: Sequence[str] = (),
    details: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> Script:
    """The six steps of the practice for ``situation``, each with its guidance and the best
    phrases (its family's, else the general ones). ``channel`` ``None`` takes the config's
    default; ``mode`` is as for ``search``. The case details (config, ``case_file``, ``sets``,
    ``details``: one deep merge) fill the blanks, and a case file or ``details`` also puts the
    customer's first name and the agent's name in. Phrases of a step with exactly equal scores
    come in the order of the rep's history (``history.break_ties``)."""
    from .case import CONFIG_BLANKS, case_details, get_path
    from .catalogue import open_index
    from .search import semantic_view

    index = open_index(paths, warn)
    filled = case_details(case_file, sets, details=details, wanted=CONFIG_BLANKS)
    names = None
    if case_file or details:
        names = {"customer": get_path(filled, "customer.first_name") or "",
                 "agent": get_path(filled, "agent.name") or ""}  # fmt: skip
    if channel is None:
        from .config import default_channel

        channel = default_channel()
    script = script_for(index, situation, channel, semantic=semantic_view(index, mode, paths, progress, warn))
    from .history import break_ties

    ordered = break_ties([step.hits for step in script.steps], by_category=True, warn=warn)  # the rep's own first
    for step, hits in zip(script.steps, ordered, strict=True):
        step.hits = hits
    if names:
        personalize(script, names)  # after the order is settled: the introduction goes before the first
    script.details = filled
    return script


def script_for(
    index, situation: str, channel: str | None = None, names: Mapping[str, str] | None = None, semantic=None
) -> Script:
    """The six steps for ``situation``; with ``semantic`` a customer's own words are understood.

    Every phrase comes from the situation's family (or a team phrase written for the
    situation), else from the general phrases; never from another family."""
    from .search import family_for

    family = family_for(index, situation, semantic)
    used: set[str] = set()
    steps = []
    for step in STEPS:
        extra = [name for name, number in index.category_steps.items() if number == step.number]
        categories = list(dict.fromkeys([*step.categories, *extra]))
        per_category = 1 if len(categories) > 1 else 2
        hits: list[Hit] = []
        if is_public(channel) and step.number == 1:
            hits += _best(index, f"{situation} direct message private", None, channel, used, 1, family,
                          lambda hit: bool(DM_RE.search(hit.phrase.text)), semantic)  # fmt: skip
        for category in categories:
            found = _best(index, situation, category, channel, used, per_category, family, semantic=semantic)
            for source in dict.fromkeys([family, None]):
                if found:
                    break
                found = _take(index, source, category, channel, situation, used, per_category)
            hits += found
        guidance = step.guidance + (SOCIAL_GUIDANCE if is_public(channel) and step.number == 1 else "")
        steps.append(ScriptStep(step, guidance, hits[:3]))
    script = Script(situation, channel, steps, family)
    if names:
        personalize(script, names)
    return script


def _take(index, family, category, channel, situation, used, count) -> list[Hit]:
    """The first unused phrases of a family (or the general ones) for a category."""
    from .search import phrases_for

    chosen = []
    for phrase in phrases_for(index, family, category, channel, situation):
        if phrase.full_id in used or (is_public(channel) and _asks_publicly(phrase.text)):
            continue
        used.add(phrase.full_id)
        chosen.append(Hit(phrase, 0.0))
        if len(chosen) == count:
            break
    return chosen


def _best(index, query, category, channel, used, count, family, keep=None, semantic=None) -> list[Hit]:
    from .search import rank_phrases

    chosen = []
    categories = [category] if category else []
    for hit in rank_phrases(index, query, categories=categories, channel=channel, limit=25, semantic=semantic):
        if hit.fallback or hit.phrase.full_id in used or (keep is not None and not keep(hit)):
            continue
        if hit.phrase.family != family and (hit.phrase.family is not None or hit.phrase.general):
            continue
        if is_public(channel) and _asks_publicly(hit.phrase.text):
            continue
        if chosen and hit.score < SECOND_CHOICE_SHARE * chosen[0].score:
            break
        used.add(hit.phrase.full_id)
        chosen.append(hit)
        if len(chosen) == count:
            break
    return chosen


def personalize(script: Script, names: Mapping[str, str]) -> None:
    """Put the customer's and agent's names where they fit: an introduction before the first
    phrase, and the customer's name in a short thank-you."""
    first = (names.get("customer") or "").strip()
    agent = (names.get("agent") or "").strip()
    for script_step in script.steps:
        for position, hit in enumerate(script_step.hits):
            text = hit.phrase.text
            if script_step.step.number == 1 and position == 0 and (first or agent):
                intro = ", ".join(filter(None, [first, f"I'm {agent}" if agent else ""]))
                text = f"{intro}. {text}"
            elif first and re.match(r"^(Thank you|Thanks)\b[^.!?]*[.!?]", text):
                text = re.sub(r"^((?:Thank you|Thanks)\b[^.!?]*)([.!?])", rf"\1, {first}\2", text, count=1)
            if text != hit.phrase.text:
                script_step.hits[position] = Hit(hit.phrase._replace(text=text), hit.score)
