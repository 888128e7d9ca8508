"""Documents that are not plain pages or plain prose, through `run` and `export` as users run them:
language tags on elements, XHTML, charset declarations, nested Markdown containers, footnotes,
task lists, tables and CRLF line ends. Each comes out as its author wrote it and as the tools reading it expect."""

from __future__ import annotations

import re

import lxml.html
import polib
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

PENDING = "હજુ બાકી."  # left fuzzy: ships in Gujarati

PAGE = (
    """<!-- licence: CC-BY-4.0 -->
<!DOCTYPE html>
<html lang="gu" xml:lang="gu"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta http-equiv="content-language" content="gu">
<title>શીર્ષક</title></head>
<body><article lang="gu-IN"><h1 lang="gu">મુખ્ય શીર્ષક</h1>
<p>પહેલું વાક્ય. <span lang="gu">અંદરનું વાક્ય.</span></p>
<p xml:lang="gu" lang="gu">બીજું વાક્ય.</p>
<p lang="gu">"""
    + PENDING
    + """</p>
<p lang="gu-IN">ત્રીજું વાક્ય. """
    + PENDING
    + """</p>
<img lang="gu" alt="ચિત્ર" src="a.png">
<p lang="en">Already English.</p>
</article></body></html>
"""
)

XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="gu" lang="gu">
<head><title>એક્સએચટીએમએલ</title></head>
<body><p>ચિત્ર <svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:text>ચિત્રનું લખાણ</svg:text></svg:svg> જુઓ.<br/>
પછીનું વાક્ય.</p></body></html>
"""

NESTED = """- > યાદીમાં અવતરણ.
- - અંદરની યાદી.

1. > ક્રમમાં અવતરણ.

> - અવતરણમાં યાદી.
"""

FOOTNOTES = """કામની નોંધ[^1] અહીં છે.

[^1]: ફૂટનોટનું વાક્ય.

- [ ] અધૂરું કામ.
- [x] પૂરું કામ.
"""

TABLE = """| નામ | ગામ |
|-----|:---:|
| રમેશ \\| સુરેશ | અમદાવાદ શહેર |

> | અવતરણ કોષ | ![ચિત્ર](a.png) |
> |---|---|
> | કોષ | `કોડ` |
"""

BLOCKS = """<p class=lead lang="gu">HTML <b>ઘાટો</b> ફકરો.</p>

<div>
<img src="a.png" alt="ચિત્ર">
</div>

<div>

માર્કડાઉન ફકરો.

</div>

<script>var greeting = 'નમસ્તે';</script>
"""

TITLES = """[કડી](https://example.org "કડીનું શીર્ષક") અને ![ચિત્ર](a.png "ચિત્રનું શીર્ષક") જુઓ.
"""

NOTRANSLATE = """<html><body><div translate="no"><p>બ્રાન્ડ નામ.</p>
<section><p translate="yes">આ વાક્ય અનુવાદ થાય.</p></section></div>
<p class="notranslate">બીજું નામ.</p><p class="notranslate" translate="yes">ફરી અનુવાદ.</p></body></html>
"""

PARTIAL = """<!-- an include: no html, head or body of its own -->
<h2 lang="gu">વિભાગ.</h2>
<p>લખાણ &amp; વધુ.</p>
"""

RAW = """<!DOCTYPE html><html><body><p>નમૂનો નીચે.</p><xmp><b>ઉદાહરણ</b> & <i>x</i></xmp>
<noembed><b>પ્લગઇન નથી</b></noembed><iframe src="v.html"><p>ફ્રેમ નથી</p></iframe></body></html>
"""


def english(msgid: str) -> str:
    """A reviewer's translation: every run of Gujarati words becomes `Text`, markup kept."""
    return re.sub(r"[\u0A80-\u0AFF]+(?:[ ][\u0A80-\u0AFF]+)*", "Text", msgid)


@pytest.fixture(scope="module")
def exported(tmp_path_factory, tiny_models, pipeline):
    root = tmp_path_factory.mktemp("shapes")
    articles = root / "articles"
    articles.mkdir()
    for name, text in (
        ("lang.html", PAGE),
        ("xhtml.html", XHTML),
        ("nested.md", NESTED),
        ("footnotes.md", FOOTNOTES),
        ("table.md", TABLE),
        ("blocks.md", BLOCKS),
        ("titles.md", TITLES),
        ("notranslate.html", NOTRANSLATE),
        ("partial.html", PARTIAL),
        ("raw.html", RAW),
    ):
        (articles / name).write_text(text, encoding="utf-8")
    (articles / "crlf.md").write_bytes("# ઉપર\r\n\r\nપહેલું વાક્ય.\r\n".encode())
    pipeline("run", "articles", "--to", "en", "--models", tiny_models, cwd=root)
    path = root / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid != PENDING:
            entry.msgstr = english(entry.msgid)
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save()
    for fmt in ("html", "md"):
        ran = pipeline("export", "--format", fmt, "--locale", "en", "--out", f"dist/{fmt}", cwd=root)
        assert "Traceback" not in ran.err and "left out" not in ran.err, ran.err
    return root / "dist"


def test_elements_that_said_gujarati_say_english_once_their_text_is_english(exported):
    page = lxml.html.parse(str(exported / "html" / "en" / "lang.html")).getroot()
    assert (page.get("lang"), page.get("xml:lang")) == ("en", "en")
    assert page.xpath("//article/@lang") == ["en"] and page.xpath("//h1/@lang") == ["en"]
    first, second, pending, mixed = page.xpath("//article/p")[:4]
    assert first.xpath("span/@lang") == ["en"] and first.text_content() == "Text. Text."
    assert (second.get("lang"), second.get("xml:lang"), second.text) == ("en", "en", "Text.")
    # All of it still Gujarati: it keeps its own tag. Half of it: English, the rest marked.
    assert pending.get("lang") == "gu" and pending.text_content() == PENDING
    assert mixed.get("lang") == "en" and mixed.xpath("span/@lang") == ["gu"]
    assert mixed.xpath("span")[0].text == PENDING
    assert page.xpath("//img/@lang") == ["en"] and page.xpath("//img/@alt") == ["Text"]
    assert page.xpath("//p[text()='Already English.']/@lang") == ["en"]
    assert page.xpath("//meta[@http-equiv='content-language']/@content") == ["en"]


def test_a_page_that_declared_its_charset_the_old_way_still_declares_one(exported):
    text = (exported / "html" / "en" / "lang.html").read_text(encoding="utf-8")
    assert text.count("charset") == 1 and '<meta charset="utf-8">' in text


def test_xhtml_with_prefixed_svg_is_exported_with_its_markup(exported):
    page = lxml.html.parse(str(exported / "html" / "en" / "xhtml.html")).getroot()
    assert (page.get("lang"), page.get("xml:lang")) == ("en", "en")
    p = page.xpath("//p")[0]
    assert p.text == "Text " and [el.tag for el in p.iter()] == ["p", "svg:svg", "svg:text", "br"]
    assert p.xpath("*/*")[0].text == "Text" and p.text_content().endswith("Text.")


def structure(markdown: str) -> list[str]:
    """The element tree a Markdown renderer with footnotes builds, as tag names in order."""
    md = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
    return [el.tag for el in lxml.html.fromstring("<div>" + md.render(markdown) + "</div>").iter()]


def test_nested_list_and_quote_markers_are_kept(exported):
    out = (exported / "md" / "en" / "nested.md").read_text(encoding="utf-8")
    assert out.splitlines() == ["- > Text.", "- - Text.", "", "1. > Text.", "", "> - Text."]
    assert structure(out) == structure(NESTED)


def test_footnotes_and_task_boxes_stay_markdown(exported):
    out = (exported / "md" / "en" / "footnotes.md").read_text(encoding="utf-8")
    assert out.splitlines() == ["Text[^1] Text.", "", "[^1]: Text.", "", "- [ ] Text.", "- [x] Text."]
    assert structure(out) == structure(FOOTNOTES)


def test_markdown_table_cells_are_translated_in_place(exported):
    out = (exported / "md" / "en" / "table.md").read_text(encoding="utf-8")
    assert out.splitlines() == [
        "| Text | Text |",
        "|-----|:---:|",
        "| Text \\| Text | Text |",
        "",
        "> | Text | ![Text](a.png) |",
        "> |---|---|",
        "> | Text | `કોડ` |",
    ]
    assert structure(out) == structure(TABLE)


def test_a_markdown_file_with_crlf_line_ends_keeps_them(exported):
    assert (exported / "md" / "en" / "crlf.md").read_bytes() == b"# Text\r\n\r\nText.\r\n"


def test_a_page_in_the_encoding_it_declares_is_read_in_it_and_shipped_as_utf8(tmp_path, tiny_models, pipeline):
    (tmp_path / "articles").mkdir()
    page = (
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        b"</head><body><p>&#2709;&#2750;&#2734; \x93&#2693;&#2745;&#2752;&#2690;\x94.</p></body></html>"
    )
    (tmp_path / "articles" / "old.html").write_bytes(page)
    pipeline("run", "articles", "--to", "en", "--models", tiny_models, cwd=tmp_path)
    po = polib.pofile(str(tmp_path / "locales" / "en" / "LC_MESSAGES" / "messages.po"))
    assert [e.msgid for e in po] == ["કામ \u201cઅહીં\u201d."]  # the quotes as windows-1252 has them
    po[0].msgstr, po[0].flags = "Work \u201chere\u201d.", []
    po.save()
    pipeline("export", "--format", "html", "--locale", "en", "--out", "dist", cwd=tmp_path)
    text = (tmp_path / "dist" / "en" / "old.html").read_bytes().decode("utf-8")
    assert '<meta charset="utf-8">' in text and "windows-1252" not in text
    assert "<p>Work \u201chere\u201d.</p>" in text


def test_html_blocks_in_markdown_are_translated_as_html(exported):
    out = (exported / "md" / "en" / "blocks.md").read_text(encoding="utf-8")
    assert out.split("\n\n") == [
        '<p class="lead" lang="en">HTML <b>Text</b> Text.</p>',
        '<div>\n<img src="a.png" alt="Text">\n</div>',
        "<div>",
        "Text.",
        "</div>",  # a div around Markdown: only the Markdown
        "<script>var greeting = 'નમસ્તે';</script>\n",
    ]


def test_link_and_image_titles_in_markdown_are_translated_as_html_titles_are(exported):
    out = (exported / "md" / "en" / "titles.md").read_text(encoding="utf-8")
    assert out == '[Text](https://example.org "Text") Text ![Text](a.png "Text") Text.\n'


def test_translate_yes_inside_translate_no_is_translated(exported):
    page = lxml.html.parse(str(exported / "html" / "en" / "notranslate.html")).getroot()
    assert [p.text for p in page.xpath("//p")] == ["બ્રાન્ડ નામ.", "Text.", "બીજું નામ.", "Text."]


def test_an_html_fragment_file_is_exported_as_a_fragment(exported):
    out = (exported / "html" / "en" / "partial.html").read_text(encoding="utf-8")
    assert out == (
        '<!-- an include: no html, head or body of its own -->\n<h2 lang="en">Text.</h2>\n<p>Text &amp; Text.</p>\n'
    )


def test_comments_before_the_html_element_are_kept(exported):
    text = (exported / "html" / "en" / "lang.html").read_text(encoding="utf-8")
    assert text.startswith('<!DOCTYPE html>\n<!-- licence: CC-BY-4.0 -->\n<html lang="en"')


def test_raw_text_elements_are_never_offered_and_come_back_as_written(exported):
    text = (exported / "html" / "en" / "raw.html").read_text(encoding="utf-8")
    assert "<p>Text.</p><xmp><b>ઉદાહરણ</b> & <i>x</i></xmp>" in text  # shown as written, as in the source
    assert '<noembed><b>પ્લગઇન નથી</b></noembed><iframe src="v.html"><p>ફ્રેમ નથી</p></iframe>' in text
    po = polib.pofile(str(exported.parent / "locales" / "en" / "LC_MESSAGES" / "messages.po"))
    assert not [e.msgid for e in po if "ઉદાહરણ" in e.msgid or "પ્લગઇન" in e.msgid]
