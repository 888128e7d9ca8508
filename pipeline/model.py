"""The plain data every stage passes around: documents, blocks and segments.

All frozen dataclasses; offsets are character offsets into `Document.text` (the decoded,
NFC-normalised source), so a segment can always be traced back to exactly what was read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum


def short_hash(text: str, size: int = 12) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:size]


@dataclass(frozen=True)
class Block:
    """A paragraph, heading or list item; `artefact` blocks are page debris kept out of translation."""

    index: int
    kind: str  # "paragraph" | "artefact"
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    """One sentence to translate: where it came from and exactly what it says."""

    doc: str
    block: int
    index: int  # position of the segment within its document
    text: str
    start: int
    end: int

    @property
    def id(self) -> str:
        """Derived from content, not position, so an edit above does not renumber it."""
        return short_hash(self.text)

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "block": self.block,
            "index": self.index,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }  # asdict's deep copy is most of a large run's segment time


@dataclass(frozen=True)
class Document:
    name: str  # path relative to the source root, with forward slashes
    text: str
    blocks: tuple[Block, ...]

    @property
    def sha(self) -> str:
        return short_hash(self.text, 16)


class Severity(Enum):
    """What a finding means for what ships. BLOCKING: a site would run what the translation breaks
    (a format placeholder, markup), so the entry stays out of every .mo and export until it is
    mended (`qa.shipping`). ADVISORY: a reviewer should look (the QA notes in the catalogue); the
    entry ships once approved."""

    BLOCKING = "blocking"
    ADVISORY = "advisory"


@dataclass(frozen=True)
class Finding:
    """One QA problem on one (source, translation) pair."""

    check: str
    message: str
    severity: Severity = Severity.ADVISORY


@dataclass(frozen=True)
class Scored:
    """A translation and the model's confidence in it (0..1; None when nothing was scored): what a
    model returns (pipeline.mt.scoring) and the memory keeps (pipeline.memory)."""

    text: str
    confidence: float | None = None


@dataclass(frozen=True)
class Translation:
    """A segment's translation for one locale, and where it came from."""

    source: str
    text: str
    model_id: str | None = None
    findings: tuple[Finding, ...] = ()
    confidence: float | None = None  # the model's geometric-mean token probability (pipeline.mt.scoring)
