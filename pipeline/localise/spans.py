"""Protected spans: URLs, e-mail addresses, inline markup, format placeholders, citation marks.

These must leave translation exactly as they came in. A translation model cannot be trusted to copy
`%(name)s` or a URL, so the model never sees them: `mask` swaps each span for a numbered marker
(`[1]`, `[2]`, ...; plain ASCII that NLLB-style vocabularies tokenise without `<unk>` and that
news text already uses for citations, so models tend to copy it), and `restore` puts the spans back
into the output by marker number. Markers the model lost are reported, never guessed back, so the
restore step is a pure function that tests can drive with any "model output".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Order matters: an e-mail is tried before a URL, a URL before markup, so each span is claimed once.
_PATTERNS = (
    ("email", r"(?<![A-Za-z0-9_.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    # Chinese puts no space around a URL: a Han character may touch it on the left (so no \b,
    # which sees none there), and full-width punctuation (。，、；：！？（）「」) ends it.
    ("url", r"(?<![A-Za-z0-9])(?:https?://|ftp://|www\.)[^\s<>\"'“”‘’()\[\]{}।。，、；：！？（）「」]+(?<![.,;:!?।])"),
    ("markup", r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s+[^<>]*?)?\s*/?>|&(?:[A-Za-z]+|#[0-9]+|#x[0-9A-Fa-f]+);|`[^`\n]+`"),
    # printf and Python formats, Python/ICU braces, i18next interpolation (`{{- name}}`, `{{count, number}}`)
    # and nesting (`$t(key)`), shell-style `${name}`: all run by the site, not shown.
    (
        "placeholder",
        r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-+#0]*(?:\d+\$)?\d*(?:\.\d+)?[sdifFeEgGxXouc](?![A-Za-z])"
        r"|\{\{?[A-Za-z_0-9][A-Za-z0-9_.\[\]]*(?:![rsa])?(?::[^{}]*)?\}\}?|\$\{[A-Za-z_][A-Za-z0-9_]*\}"
        r"|\{\{-?\s*[A-Za-z_][\w.]*\s*(?:,[^{}\n]*)?\}\}|\$t\([^()\n]*\)"
        # Weblate's stand-ins for markup and format strings in a text it sends to a
        # machine translation service ([X0X], [X12X]): put back by Weblate afterwards.
        r"|\[X\d{1,4}X\]",
    ),
    ("citation", r"\[\d{1,3}\]"),
)
_SPAN = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _PATTERNS))
# What the model may make of marker [3]: [3], [ 3 ], ［3］ (full-width, common in Chinese output).
MARKER = re.compile(r"[\[［]\s*(\d{1,3})\s*[\]］]")


@dataclass(frozen=True)
class Span:
    """A stretch of text that translation must copy verbatim."""

    start: int
    end: int
    text: str
    kind: str  # "url" | "email" | "markup" | "placeholder" | "citation"


def find_spans(text: str) -> list[Span]:
    spans = []
    for m in _SPAN.finditer(text):
        if m.group(0) == "%%":
            continue  # an escaped percent sign, not a placeholder
        spans.append(Span(m.start(), m.end(), m.group(0), m.lastgroup or "placeholder"))
    return spans


def without_spans(text: str) -> str:
    """`text` with every protected span blanked out, offsets kept (digits in a URL are no number)."""
    out, last = [], 0
    for span in find_spans(text):
        out += [text[last : span.start], " " * (span.end - span.start)]
        last = span.end
    out.append(text[last:])
    return "".join(out)


def mask(text: str) -> tuple[str, tuple[Span, ...]]:
    """`text` with each protected span replaced by marker [i] (1-based), and the spans in order."""
    spans = tuple(find_spans(text))
    out, last = [], 0
    for i, span in enumerate(spans, 1):
        out += [text[last : span.start], f"[{i}]"]
        last = span.end
    out.append(text[last:])
    return "".join(out), spans


@dataclass(frozen=True)
class Restored:
    text: str
    missing: tuple[Span, ...] = ()  # spans whose marker the model dropped
    repeated: tuple[Span, ...] = ()  # spans whose marker came back more than once


def restore(output: str, spans: tuple[Span, ...]) -> Restored:
    """Put `spans` back where the model left their markers; report what it lost or repeated.

    A marker number that names no span (the model made it up) is left as the model wrote it.
    """
    if not spans:
        return Restored(output)
    seen: Counter[int] = Counter()

    def put_back(m: re.Match) -> str:
        index = int(m.group(1))
        if not 1 <= index <= len(spans):
            return m.group(0)
        seen[index] += 1
        return spans[index - 1].text

    text = MARKER.sub(put_back, output)
    missing = tuple(s for i, s in enumerate(spans, 1) if not seen[i])
    repeated = tuple(s for i, s in enumerate(spans, 1) if seen[i] > 1)
    return Restored(text, missing, repeated)


def compare_spans(source: str, translation: str, kinds: tuple[str, ...] | None = None) -> tuple[list[str], list[str]]:
    """Spans of `source` absent from `translation` (exact text), and spans `translation` added;
    only spans of `kinds` when given."""
    want = Counter(s.text for s in find_spans(source) if kinds is None or s.kind in kinds)
    got = Counter(s.text for s in find_spans(translation) if kinds is None or s.kind in kinds)
    return sorted((want - got).elements()), sorted((got - want).elements())


def restore_spans(source: str, output: str) -> str:
    """The model's output for `mask(source)` with the source's spans put back by marker number."""
    return restore(output, mask(source)[1]).text
