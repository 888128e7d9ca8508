"""The one path for a served text: what `pipeline run` and `pipeline export` do to a document.

    text or HTML → ingest (the .txt or .html reader) → segment → translate_raw (memory first,
    then the model) → finish (localise.restore, QA) → the document rebuilt as export rebuilds it

A sentence served therefore gets exactly the text `run` writes into the catalogue for it, and a
whole text comes back as `pipeline export --format txt` (or html) would rebuild it from that
catalogue. The model's raw output is shared with `run` through the translation memory, both
ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Config
from pipeline.export.documents import ExportReport, rebuild_document
from pipeline.ingest import read_document
from pipeline.model import Finding, Translation
from pipeline.mt.route import check_route
from pipeline.segment.limits import check_sentence_lengths
from pipeline.segment.splitter import segment_document
from pipeline.translate import finish, translate_raw

FORMATS = {"text": ".txt", "html": ".html"}


class Untranslated(Exception):
    """The model gave no output for some sentences (their batch failed)."""


@dataclass(frozen=True)
class Served:
    """One text as served: the translation, the lowest confidence of its sentences, QA findings."""

    text: str
    confidence: float | None = None
    findings: tuple[tuple[str, Finding], ...] = ()  # (sentence, finding)
    sentences: int = 0


@dataclass(frozen=True)
class ServedTexts:
    texts: list[Served]
    by_model: int  # sentences the model translated for this request
    from_memory: int  # sentences answered from the translation memory


def translate_texts(texts: list[str], fmt: str, locale: str, config: Config, memory, executor) -> ServedTexts:
    """Each of `texts` (plain text or HTML, per `fmt`) translated into `locale` on the one path.
    Bad input (HTML that cannot be read whole, a sentence too long) is a PipelineError naming
    the text as `q[i]`."""
    suffix = FORMATS[fmt]
    # An HTML text is a whole page (a doctype, <html>, <head> or <body> first) and comes back as
    # one, or a fragment, read as a browser reads innerHTML and given back as a fragment, as export
    # rebuilds a file (see `ingest.html.is_whole_page`).
    documents = {
        i: read_document(Path(f"q[{i}]{suffix}"), f"q[{i}]", text.encode("utf-8"))
        for i, text in enumerate(texts)
        if text.strip()
    }
    segments = {}
    for i, doc in documents.items():
        segments[i] = list(segment_document(doc))
        check_sentence_lengths(doc, segments[i], Path(f"q[{i}]"))
    msgids = list(dict.fromkeys(seg.text for found in segments.values() for seg in found))
    translations, raw = _translate(msgids, locale, config, memory, executor)
    shipped = {msgid: t.text for msgid, t in translations.items()}
    served = []
    for i, text in enumerate(texts):
        if i not in documents:
            served.append(Served(text))
            continue
        report = ExportReport()
        _, rebuilt = rebuild_document(
            f"q[{i}]", suffix, text, "txt" if fmt == "text" else "html", locale, shipped, report
        )
        own = [translations[seg.text] for seg in segments[i]]
        scores = [t.confidence for t in own if t.confidence is not None]
        served.append(
            Served(
                rebuilt,
                min(scores) if scores else None,
                tuple((t.source, f) for t in own for f in t.findings),
                len(own),
            )
        )
    return ServedTexts(served, raw.by_model, raw.from_memory)


def _translate(msgids: list[str], locale: str, config: Config, memory, executor):
    """Finished translations of `msgids`, as the translate and localise stages of a run make them."""
    route = check_route(config.route_for(locale))
    # The batcher stores a model call's outputs at once, whatever the chunk size.
    raw = translate_raw(msgids, route, memory, executor, max(1, len(msgids)), locale, set(), config.glossary)
    if raw.untranslated:
        raise Untranslated(f"{raw.untranslated} sentence(s) got no translation")
    style = config.locale_options(locale).number_style
    translations: dict[str, Translation] = {
        m: finish(m, raw.outputs[m].text, locale, style, route.model_id, config.glossary, raw.outputs[m].confidence)
        for m in msgids
    }
    return translations, raw
