"""Plain records shared by the core modules."""

from __future__ import annotations

from typing import NamedTuple

from .channels import NAMES as CHANNELS

TONES = ("formal", "warm", "casual")


class Phrase(NamedTuple):
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


class Family(NamedTuple):
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


class Category(NamedTuple):
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


class Pack:
    """A pack as loaded: its header, categories, families, blanks and phrases. ``findings`` are
    problems ``packs validate`` reports that do not stop the pack loading (an unknown blank);
    ``file_records`` each phrases file read as it was (``packs.file_record``), kept in the index
    so an unchanged file need not be read again when another file of the pack changes.

    A plain class where the other records are named tuples: it is filled in as a pack is read,
    and a dataclass would cost every search's start-up the time to generate its methods."""

    def __init__(
        self,
        name: str,
        path: str,
        origin: str,
        title: str = "",
        version: str = "",
        locale: str = "en",
        description: str = "",
        synonyms: dict[str, tuple[str, ...]] | None = None,
        categories: dict[str, Category] | None = None,
        phrases: list[Phrase] | None = None,
        shadows: list[str] | None = None,
        avoid: list[dict] | None = None,
        families: dict[str, Family] | None = None,
        blanks: dict[str, str] | None = None,
        findings: list | None = None,
        file_records: dict | None = None,
    ) -> None:
        self.name, self.path, self.origin = name, path, origin
        self.title, self.version, self.locale, self.description = title, version, locale, description
        self.synonyms = synonyms if synonyms is not None else {}
        self.categories = categories if categories is not None else {}
        self.phrases = phrases if phrases is not None else []
        self.shadows = shadows if shadows is not None else []
        self.avoid = avoid if avoid is not None else []
        self.families = families if families is not None else {}
        self.blanks = blanks if blanks is not None else {}
        self.findings = findings if findings is not None else []
        self.file_records = file_records if file_records is not None else {}

    def __repr__(self) -> str:
        return f"Pack(name={self.name!r}, path={self.path!r}, phrases={len(self.phrases)})"

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


class Hit(NamedTuple):
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
