"""Plain records shared by the core modules."""

from __future__ import annotations

from dataclasses import dataclass, field

from .channels import NAMES as CHANNELS

TONES = ("formal", "warm", "casual")


@dataclass(frozen=True, slots=True)
class Phrase:
    id: str
    pack: str
    category: str
    text: str
    situations: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    tone: str | None = None
    source: str = ""
    line: int | None = None
    family: str | None = None

    @property
    def general(self) -> bool:
        """Written for no particular situation: the practice's own words."""
        return self.family is None and not self.situations

    @property
    def blanks(self) -> list[str]:
        from .blanks import names

        return names(self.text)

    @property
    def full_id(self) -> str:
        return f"{self.pack}/{self.id}"

    def fits_channel(self, channel: str) -> bool:
        """A phrase that names no channel fits every channel."""
        return not self.channels or channel in self.channels

    def to_dict(self) -> dict:
        return {
            "id": self.full_id,
            "pack": self.pack,
            "short_id": self.id,
            "category": self.category,
            "text": self.text,
            "situations": list(self.situations),
            "tags": list(self.tags),
            "channels": list(self.channels) or list(CHANNELS),
            "tone": self.tone,
            "family": self.family,
            "general": self.general,
            "blanks": self.blanks,
            "source": f"{self.source}:{self.line}" if self.line else self.source,
        }


@dataclass(frozen=True)
class Family:
    """One thing that happens to customers, with phrases for every step of the practice.

    ``sensitive`` families (a death, a hazard, a threat, distress) are never mixed with another
    family's words; ``fault`` is "ours" when the situation is itself the company's failing, so
    its phrases may admit it."""

    name: str
    title: str = ""
    sector: str = ""
    situations: tuple[str, ...] = ()
    sensitive: bool = False
    fault: str = "unknown"
    pack: str = ""
    source: str = ""
    line: int | None = None

    def to_dict(self) -> dict:
        return {
            "name": self.name, "title": self.title, "sector": self.sector, "situations": list(self.situations),
            "sensitive": self.sensitive, "fault": self.fault, "pack": self.pack,
        }  # fmt: skip


@dataclass(frozen=True)
class Category:
    name: str
    description: str
    guidance: str = ""
    step: int | None = None
    pack: str = ""

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "guidance": self.guidance,
            "step": self.step,
            "pack": self.pack,
        }


@dataclass
class Pack:
    name: str
    path: str
    origin: str
    title: str = ""
    version: str = ""
    locale: str = "en"
    description: str = ""
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    phrases: list[Phrase] = field(default_factory=list)
    shadows: list[str] = field(default_factory=list)
    avoid: list[dict] = field(default_factory=list)
    families: dict[str, Family] = field(default_factory=dict)
    blanks: dict[str, str] = field(default_factory=dict)
    findings: list = field(default_factory=list)
    """Problems ``packs validate`` reports that do not stop the pack loading (an unknown blank)."""
    file_records: dict = field(default_factory=dict)
    """Each phrases file read as it was (``packs.file_record``), kept in the index so an
    unchanged file need not be read again when another file of the pack changes."""

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "version": self.version,
            "locale": self.locale,
            "phrases": len(self.phrases),
            "families": len(self.families),
            "origin": self.origin,
            "path": self.path,
            "shadows": list(self.shadows),
        }


@dataclass(frozen=True)
class Hit:
    phrase: Phrase
    score: float
    lexical_score: float | None = None
    semantic_score: float | None = None
    fallback: bool = False
    """No family fits the situation: a general phrase of the practice instead."""

    def to_dict(self) -> dict:
        data = self.phrase.to_dict()
        data["score"] = round(self.score, 4)
        data["fallback"] = self.fallback
        if self.semantic_score is not None:
            data["lexical_score"] = round(self.lexical_score or 0.0, 4)
            data["semantic_score"] = round(self.semantic_score, 4)
        return data
