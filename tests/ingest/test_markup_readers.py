"""HTML and Markdown readers, inline-markup placeholders, and rebuilding pages safely (no model)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pipeline.ingest import read_document
from pipeline.ingest.htmlpage import rebuild_html
from pipeline.ingest.markdown import rebuild_markdown
from pipeline.localise.markup import check_markup, is_balanced, restore_placeholders, strip_placeholders
from pipeline.segment.splitter import segment_document

SITE = Path(__file__).parent.resolve().parent / "data" / "site"


def blocks(name: str) -> list[str]:
    doc = read_document(SITE / name, name)
    return [doc.text[b.start : b.end] for b in doc.blocks]


def test_html_reader_takes_blocks_and_attributes_and_nothing_marked_out():
    assert blocks("news.html") == [
        "ગુજરાત સમાચાર",  # <title>
        "આજના મુખ્ય સમાચાર.",  # meta description
        "ગુજરાત સમાચાર",  # og:title
        "મુખ્ય સમાચાર",
        "રાજ્ય સરકારે <1>નવી યોજના</1> જાહેર કરી. આ યોજના <2>ખેડૂતો</2> માટે છે.",
        "વધુ માહિતી માટે <હેલ્પલાઇન> પર ફોન કરો. <1/>કચેરી સવારે ખુલે છે.",  # &lt; … &gt; is text
        "પહેલો મુદ્દો",
        "બીજો <1>મહત્વનો</1> મુદ્દો",
        "ગુજરાતનો નકશો",  # img alt
        "આદેશ <1/> ચલાવો.",  # inline code kept whole
        "સંકેત",  # span title
        "સીધું લખાણ <1>અહીં</1> છે.",  # text directly in a div
        "વિભાગનું લખાણ.",
        "કોષ્ટક",
        "નામ",
        "ગામ",
        "શોધો",  # placeholder
        "શોધ બોક્સ",  # aria-label
    ]
    text = " ".join(blocks("news.html"))
    for never in ("અનુવાદ ન થવું", "font-family", "કોડ અહીં", "pip install", "બ્રાન્ડ", "આ પણ નહીં", "નમૂનો"):
        assert never not in text


def test_markdown_reader_takes_text_not_urls_code_or_front_matter():
    assert blocks("guide.md") == [
        "સ્થાપન માર્ગદર્શિકા",
        "આ માર્ગદર્શિકા <1>સરળ</1> છે. વધુ માટે <2>અમારી સાઇટ</2> જુઓ.",
        "મદદ",  # the link's title, a tooltip, as the HTML reader reads title attributes
        "પહેલું પગલું",
        "બીજું પગલું <1/> ચલાવો",
        "ગુજરાતનો નકશો",  # image alt
    ]


def test_sentences_split_but_never_inside_a_tag_pair(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<p>એક વાક્ય. <b>બીજું વાક્ય. ત્રીજું વાક્ય.</b> ચોથું વાક્ય.</p>", encoding="utf-8")
    segments = [s.text for s in segment_document(read_document(page, "p.html"))]
    assert segments == ["એક વાક્ય.", "<1>બીજું વાક્ય. ત્રીજું વાક્ય.</1> ચોથું વાક્ય."]
    para = read_document(SITE / "news.html", "news.html")
    texts = [s.text for s in segment_document(para)]
    assert "રાજ્ય સરકારે <1>નવી યોજના</1> જાહેર કરી." in texts and "આ યોજના <2>ખેડૂતો</2> માટે છે." in texts
    assert "<1/>કચેરી સવારે ખુલે છે." in texts  # a <br> after a full stop ends the sentence


def test_html_rebuild_takes_markup_from_the_source_and_escapes_the_translation():
    source = (SITE / "news.html").read_text(encoding="utf-8")
    para = "રાજ્ય સરકારે <1>નવી યોજના</1> જાહેર કરી. આ યોજના <2>ખેડૂતો</2> માટે છે."
    translations = {
        para: "The state announced <1>a new scheme</1>. It is for <2>farmers</2>. <script>alert(1)</script>"
        '<img src=x onerror=alert(1)><1 onclick="x">',
        "મુખ્ય સમાચાર": 'Top <b onmouseover="x">news</b> &amp; more',
    }
    out = rebuild_html(source, lambda i, text: translations.get(text, text), "en", "ltr")
    root = lxml.html.document_fromstring(out.encode("utf-8"))
    assert root.get("lang") == "en" and root.get("dir") == "ltr"
    link = root.xpath("//body//a")[0]
    assert link.text == "a new scheme" and dict(link.attrib) == {
        "href": "https://example.gov.in/yojana?id=5&lang=gu",
        "class": "ext",
    }
    assert root.xpath("//body//strong")[0].text == "farmers"
    # Only the page's own script survives; the model's markup is text on the page.
    scripts = root.xpath("//script")
    assert len(scripts) == 1 and scripts[0].text.startswith('var message = "આ અનુવાદ ન થવું જોઈએ";')
    assert not root.xpath("//*[@onerror or @onclick or @onmouseover]") and len(root.xpath("//body//img")) == 1
    assert "<script>alert(1)</script>" in root.xpath("//body/p")[0].text_content()
    assert root.xpath("//h1")[0].text_content() == 'Top <b onmouseover="x">news</b> &amp; more'
    assert "&lt;હેલ્પલાઇન&gt;" in out  # entity-encoded source text stays text
    assert root.xpath("//pre")[0].text == "કોડ અહીં છે"


def test_html_rebuild_drops_placeholders_that_do_not_match_and_says_so():
    source = "<p>આ <a href='/x'>લિંક</a> છે.</p>"
    warnings = []
    out = rebuild_html(source, lambda i, text: "This <1>is</2> <7>broken</7>", "en", "ltr", warnings.append)
    root = lxml.html.document_fromstring(out)
    assert root.xpath("//p")[0].text_content() == "This is broken" and not root.xpath("//a")
    assert warnings and "do not match the source" in warnings[0]


def test_markdown_rebuild_keeps_urls_and_structure_and_escapes_the_translation():
    source = (SITE / "guide.md").read_text(encoding="utf-8")
    translations = {
        "સ્થાપન માર્ગદર્શિકા": "Installation guide",
        "આ માર્ગદર્શિકા <1>સરળ</1> છે. વધુ માટે <2>અમારી સાઇટ</2> જુઓ.": "This guide is <1>simple</1>. See <2>our site</2> for more. [x](javascript:alert(1)) <b>x</b>",
        "ગુજરાતનો નકશો": "Map of *Gujarat*",
    }
    out = rebuild_markdown(source, lambda i, text: translations.get(text, text), lang="en")
    assert out.startswith("---\ntitle: માર્ગદર્શિકા\nslug: guide\n---\n")
    assert '```sh\necho "કોડ બ્લોક"\n```' in out
    html = MarkdownIt("commonmark").render(out.split("---\n", 2)[2])
    root = lxml.html.fromstring(f"<div>{html}</div>")
    assert root.xpath("//h1")[0].text_content() == "Installation guide"
    assert root.xpath("//em")[0].text == "simple"
    links = root.xpath("//a")
    assert [(a.get("href"), a.get("title"), a.text) for a in links] == [
        ("https://example.com/gu/help", "મદદ", "our site")
    ]
    assert "[x](javascript:alert(1)) <b>x</b>" in root.xpath("//p")[0].text_content()
    assert not root.xpath("//b")
    image = root.xpath("//img")[0]
    assert image.get("src") == "images/map.png" and image.get("alt") == "Map of *Gujarat*"
    assert [li.text_content() for li in root.xpath("//li")] == ["પહેલું પગલું", "બીજું પગલું pipeline run ચલાવો"]


def test_restored_placeholders_wrap_the_whole_sentence_or_are_flagged():
    assert restore_placeholders("<1>આ વાક્ય છે.</1>", "This is a sentence.") == ("<1>This is a sentence.</1>", ())
    text, findings = restore_placeholders("આ <1>લિંક</1> છે.", "This is a link.")
    assert strip_placeholders(text) == "This is a link." and check_markup("આ <1>લિંક</1> છે.", text) == []
    assert findings and findings[0].check == "markup"
    # A translation that already has the tags (a reviewer's, from memory) is left alone.
    assert restore_placeholders("આ <1>લિંક</1> છે.", "This <1>link</1> is.") == ("This <1>link</1> is.", ())


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab c.。链接", max_size=40))
def test_restored_placeholders_are_always_complete_and_nested(translation):
    source = "આ <1>લિંક <2>અને</2></1> છે.<3/> <4>બીજું</4>"
    text, _ = restore_placeholders(source, translation)
    assert is_balanced(text) and check_markup(source, text) == []


def test_markdown_translation_cannot_change_the_block_structure():
    source = "# શીર્ષક\n\nપહેલો ફકરો.\n\nબીજો ફકરો.\n"
    hostile = ["    indented code?", "2024. a list?", "- item?\n===\r- item\r\n===", "<div>html</div>"]
    out = rebuild_markdown(source, lambda i, text: hostile[i] if i < len(hostile) else text, lang="en")
    html = MarkdownIt("commonmark").render(out)
    root = lxml.html.fromstring(f"<div>{html}</div>")
    assert [(el.tag, el.text_content()) for el in root] == [
        ("h1", "indented code?"),
        ("p", "2024. a list?"),
        ("p", "- item? === - item ==="),
    ]
    assert "<div>html</div>" not in html  # the 4th unit does not exist; nothing was added


def test_page_without_text_is_read_and_an_empty_file_is_a_clear_error(tmp_path):
    import pytest

    from pipeline.errors import PipelineError

    redirect = tmp_path / "old.html"
    redirect.write_text('<meta http-equiv="refresh" content="0; url=new.html">', encoding="utf-8")
    assert read_document(redirect, "old.html").blocks == ()
    empty = tmp_path / "empty.md"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"empty\.md: file is empty"):
        read_document(empty, "empty.md")
