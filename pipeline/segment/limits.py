"""Limits on what a source may hold, checked before any work so a bad file stops the run at once.

A "sentence" of thousands of characters with no sentence end is not prose (a minified dump, a
table flattened into one line, a file without punctuation); sent to the model it would take
hours and give a catalogue entry no reviewer can work with.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.model import Document, Segment

MAX_SENTENCE_CHARS = 10_000  # a long Gujarati news sentence is ~500; the model splits up to this


def check_sentence_lengths(doc: Document, segments: Iterable[Segment], path: Path) -> None:
    """Raise, naming the file and line, on the first sentence longer than MAX_SENTENCE_CHARS."""
    for seg in segments:
        if seg.end - seg.start > MAX_SENTENCE_CHARS:
            line = doc.text.count("\n", 0, seg.start) + 1
            raise PipelineError(
                f"a sentence of {seg.end - seg.start:,} characters without a sentence end "
                f"(the limit is {MAX_SENTENCE_CHARS:,}); add full stops (. or ।) or line breaks",
                path=path,
                line=line,
            )
