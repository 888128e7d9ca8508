"""The segment stage: the sources' sentences and the catalogue's messages, from the sources' bytes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pipeline import cache as caching
from pipeline.catalog import pofile
from pipeline.ingest import artefact_matcher, controls, read_document
from pipeline.model import Segment
from pipeline.segment.limits import check_sentence_lengths
from pipeline.segment.splitter import segment_document

SEGMENTER_VERSION = "6"  # bump when pipeline.segment rules or a reader change: the segments entry is rebuilt
# (6: control characters are cleaned from the sources)

Payload = tuple[Path, str, bytes]  # a source file, its document name, its bytes


@dataclass(frozen=True)
class Segmented:
    """The segment stage's result. Segments and messages are built from the stored ones when first
    asked for: a run whose later stages are all current never needs them."""

    key: str  # of the sources' bytes and the segmenter's rules: every later key builds on it
    stored: list[dict] = field(repr=False, compare=False)  # each segment's `to_dict()`
    documents: tuple[str, ...] = ()
    unique: int | None = None  # messages, when known without building them

    @cached_property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(Segment(**s) for s in self.stored)

    @cached_property
    def messages(self) -> tuple[pofile.Message, ...]:
        return tuple(pofile.collect_messages(self.segments))

    @property
    def message_count(self) -> int:
        return self.unique if self.unique is not None else len(self.messages)

    def to_cache(self) -> dict:
        return {"documents": list(self.documents), "segments": self.stored, "messages": self.message_count}

    @classmethod
    def from_cache(cls, data: dict) -> Segmented | None:
        """The entry as the value it stored; None for one from before messages were counted."""
        if not isinstance(data.get("messages"), int):
            return None
        return cls(data["key"], data["segments"], tuple(data.get("documents", ())), data["messages"])


def read_payloads(files: list[tuple[Path, str]]) -> list[Payload]:
    """(file, document name, bytes) for each source file, as `ingest.collect_sources` lists them."""
    return [(file, name, file.read_bytes()) for file, name in files]


def segment_key(payloads: list[Payload], artefact_patterns: tuple[str, ...]) -> str:
    return caching.key(
        SEGMENTER_VERSION,
        list(artefact_patterns),
        [(name, hashlib.sha256(data).hexdigest()) for _, name, data in payloads],
    )


def segment(payloads: list[Payload], artefact_patterns: tuple[str, ...] = ()) -> Segmented:
    """Every source's sentences in document order. `artefact_patterns`: regular expressions for
    more page-debris lines (besides the defaults)."""
    artefacts = artefact_matcher(artefact_patterns)
    segments = []
    for file, name, data in payloads:
        doc = read_document(file, name, data, artefacts)
        found = list(segment_document(doc))
        check_sentence_lengths(doc, found, file)
        segments.extend(found)
    return Segmented(
        segment_key(payloads, artefact_patterns),
        [s.to_dict() for s in segments],
        tuple(name for _, name, _ in payloads),
    )


def cleaned_characters(payloads: list[Payload]) -> list[str]:
    """A warning per source line whose control characters the readers dropped or replaced (see
    `ingest.controls`), naming the file and line; found afresh on every run, cached or not, so a
    run says it for as long as a source holds them (a search of the bytes, for most files)."""
    return [
        found.describe(str(file))
        for file, _, data in payloads
        for found in controls.scan(data, html=file.suffix.lower() in (".html", ".htm"))
    ]
