"""Protected spans and numbers through the whole pipeline: restored exactly, or flagged, never lost
in silence. A copying "model" shows the restore path end to end; the tiny random NLLB (which copies
nothing) shows that whatever it does is either right or flagged for the reviewer."""

from __future__ import annotations

import polib
import pytest

from pipeline import jobs
from pipeline.config import load_config
from pipeline.localise.numbers import find_source_numbers
from pipeline.localise.spans import find_spans

ARTICLE = (
    "વિગતો https://example.gov.in/x?id=7 પર જુઓ અથવા info@example.org પર લખો. "
    "તા. 20-05-2023 ના રોજ 300000 લોકો આવ્યા. %(name)s ને <b>500000</b> રૂપિયા મળ્યા.\n"
)


class CopyingTranslator:
    """Stands in for a model that copies markers and digits through (what the masking counts on);
    what it was given goes to `seen`."""

    model_id = "copy@test"

    def __init__(self, seen: list | None = None):
        self.seen = seen if seen is not None else []

    def translate(self, texts, src, tgt, progress=None):
        self.seen.extend(texts)
        if progress:
            progress(len(texts))
        return list(texts)


@pytest.fixture
def article(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "news.gu.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def entries(root, locale):
    po = polib.pofile(str(root / "locales" / locale / "LC_MESSAGES" / "messages.po"))
    return {e.msgid: e for e in po if not e.obsolete}


def test_spans_come_back_exactly_and_numbers_and_dates_in_the_locale_form(article, tiny_models):
    seen = []
    paths = jobs.Paths(article / ".pipeline", article / "locales", "messages")
    jobs.run_all(
        [article / "articles"], ["en", "zh_Hans"], load_config(tiny_models), paths, lambda spec: CopyingTranslator(seen)
    )
    assert "વિગતો [1] પર જુઓ અથવા [2] પર લખો." in seen  # the model never saw a URL or an address
    en, zh = entries(article, "en"), entries(article, "zh_Hans")
    first, second, third = list(en)
    assert "https://example.gov.in/x?id=7" in en[first].msgstr and "info@example.org" in en[first].msgstr
    assert "May 20, 2023" in en[second].msgstr and "300,000" in en[second].msgstr
    assert "2023年5月20日" in zh[second].msgstr and "30万" in zh[second].msgstr
    assert en[third].msgstr.startswith("%(name)s ને <b>500,000</b>")
    for entry in list(en.values()) + list(zh.values()):
        assert "qa: placeholders" not in entry.comment and "qa: numbers" not in entry.comment


def test_tiny_random_model_output_is_right_or_flagged(article, tiny_models):
    paths = jobs.Paths(article / ".pipeline", article / "locales", "messages")
    jobs.run_all([article / "articles"], ["en"], load_config(tiny_models), paths)
    for msgid, entry in entries(article, "en").items():
        for span in find_spans(msgid):
            assert span.text in entry.msgstr or "qa: placeholders" in entry.comment, (msgid, entry.msgstr)
        if any(not n.soft for n in find_source_numbers(msgid)):
            assert "qa: numbers" in entry.comment or any(c.isdigit() for c in entry.msgstr), entry.msgstr
