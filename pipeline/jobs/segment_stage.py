"""The segment stage: the sources' sentences and the catalogue's messages, cached by the sources' bytes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pipeline import cache as caching
from pipeline.cache import Cache
from pipeline.catalog import catalogue as catalog
from pipeline.errors import PipelineError
from pipeline.ingest import artefact_matcher, collect_sources, read_document
from pipeline.ingest.sources import save_sources
from pipeline.jobs.report import RunReport
from pipeline.layout import Paths
from pipeline.model import Segment
from pipeline.segment.limits import check_sentence_lengths
from pipeline.segment.splitter import segment_document

SEGMENTER_VERSION = "5"  # bump when pipeline.segment rules or a reader change: the segments entry is rebuilt


@dataclass(frozen=True)
class Segmented:
    """The segment stage's result. Segments and messages are built from the stored ones when first
    asked for: a run whose later stages are all current never needs them."""

    key: str  # of the sources' bytes and the segmenter's rules: every later key builds on it
    stored: list[dict] = field(repr=False, compare=False)  # each segment's `to_dict()`

    @cached_property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(Segment(**s) for s in self.stored)

    @cached_property
    def messages(self) -> tuple[catalog.Message, ...]:
        return tuple(catalog.collect_messages(self.segments))


def stage_segment(sources: list[str | Path], paths: Paths, report: RunReport,
                  artefact_patterns: tuple[str, ...] = ()) -> list[Segment]:
    """`artefact_patterns`: regular expressions for more page-debris lines (besides the defaults)."""
    return list(segment_sources(sources, paths, report, artefact_patterns).segments)


def segment_sources(sources, paths: Paths, report: RunReport, artefact_patterns: tuple[str, ...] = ()) -> Segmented:
    artefacts = artefact_matcher(artefact_patterns)
    files = collect_sources(sources, skip=[paths.workdir, paths.locales_dir])
    payloads = [(f, name, f.read_bytes()) for f, name in files]
    key = caching.key(SEGMENTER_VERSION, list(artefact_patterns),
                      [(name, hashlib.sha256(data).hexdigest()) for _, name, data in payloads])
    store = Cache(paths.workdir)
    cached = store.get("segments", key)
    if cached is not None and isinstance(cached.get("messages"), int):
        report.skipped.append("segment")
        segmented = Segmented(key, cached["segments"])
        unique = cached["messages"]
    else:
        segments = []
        for f, name, data in payloads:
            doc = read_document(f, name, data, artefacts)
            found = list(segment_document(doc))
            check_sentence_lengths(doc, found, f)
            segments.extend(found)
        segmented = Segmented(key, [s.to_dict() for s in segments])
        unique = len(segmented.messages)
        store.put("segments", key, {"documents": [name for _, name, _ in payloads], "segments": segmented.stored,
                                    "messages": unique})
    save_sources(paths.artefact("sources"), key, payloads)  # what export rebuilds documents from
    report.documents = len(files)
    report.segments = len(segmented.stored)
    report.messages = unique
    return segmented


def load_segmented(paths: Paths) -> Segmented:
    """What the last segment stage left, for a stage run alone."""
    data = Cache(paths.workdir).read("segments")
    if data is None:
        raise PipelineError("no segments.json in the work directory: run `pipeline segment SOURCES` first",
                            path=paths.artefact("segments"))
    return Segmented(data["key"], data["segments"])


def load_segments(paths: Paths) -> list[Segment]:
    return list(load_segmented(paths).segments)
