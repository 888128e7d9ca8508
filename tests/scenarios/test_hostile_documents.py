"""Documents built to break the readers, through the CLI: pages nested past libxml2's limits,
raw HTML inside Markdown, script and images inside paragraphs, and translations that try to
put markup or script into the exported documents. Nothing is dropped silently, nothing
untranslatable is offered for translation, and nothing a translation says becomes markup."""

from __future__ import annotations

import json

import lxml.html
import polib
import pytest
from lxml import etree
from markdown_it import MarkdownIt

from pipeline.localise.markup import find_tags


def nested(depth: int) -> str:
    return (
        "<html><body><p>પહેલો ફકરો.</p>"
        + "<div>" * depth
        + "<p>ઊંડે છુપાયેલું લખાણ.</p>"
        + "</div>" * depth
        + "<p>છેલ્લો ફકરો.</p></body></html>"
    )


def segments(pipeline, *sources) -> list[str]:
    code, out, err = pipeline("segment", *sources, "--jsonl", code=None)
    assert code == 0, err
    return [json.loads(line)["text"] for line in out.splitlines()]


def entries(locale: str = "en") -> polib.POFile:
    return polib.pofile(f"locales/{locale}/LC_MESSAGES/messages.po")


def approve(translate) -> None:
    """A reviewer writes `translate(msgid)` into every entry and clears fuzzy."""
    po = entries()
    for entry in po:
        entry.msgstr = translate(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    return tmp_path


def test_a_page_300_levels_deep_is_read_and_exported_whole(workspace, tiny_models, pipeline):
    (workspace / "articles" / "deep.html").write_text(nested(300), encoding="utf-8")
    assert segments(pipeline, "articles/deep.html") == ["પહેલો ફકરો.", "ઊંડે છુપાયેલું લખાણ.", "છેલ્લો ફકરો."]
    code, out, err = pipeline("run", "articles", "--to", "en", "--models", tiny_models, code=None)
    assert code == 0, err and "3 segments" in out
    approve(lambda msgid: {"ઊંડે છુપાયેલું લખાણ.": "Text hidden deep."}.get(msgid, "Other."))
    code, out, err = pipeline("export", "--format", "html", "--locale", "en", "--out", "dist", code=None)
    assert code == 0, err
    page = etree.parse("dist/en/deep.html", lxml.html.HTMLParser(huge_tree=True)).getroot()
    deep = page.xpath("//p[text()='Text hidden deep.']")
    assert len(deep) == 1 and len(list(deep[0].iterancestors("div"))) == 300
    assert [p.text for p in page.xpath("//p")] == ["Other.", "Text hidden deep.", "Other."]


@pytest.mark.parametrize("depth, command", [(1000, "segment"), (5000, "segment"), (5000, "run")])
def test_a_page_nested_too_deep_is_refused_naming_the_file(workspace, tiny_models, depth, command, pipeline):
    (workspace / "articles" / "deep.html").write_text(nested(depth), encoding="utf-8")
    run_options = ["--to", "en", "--models", tiny_models] if command == "run" else []
    code, out, err = pipeline(command, "articles", *run_options, code=None)
    assert code == 2
    assert err.startswith("pipeline: error: articles/deep.html:1: elements nested more than 512 deep")
    assert "Traceback" not in err and not (workspace / ".pipeline" / "segments.json").exists()
    assert not list(workspace.glob("locales/**/*.po*"))  # no catalogue either


def test_export_never_ships_a_page_it_cannot_read_whole(workspace, tiny_models, pipeline):
    (workspace / "articles" / "page.html").write_text("<p>એક વાક્ય.</p>", encoding="utf-8")
    assert pipeline("run", "articles", "--to", "en", "--models", tiny_models, code=None).code == 0
    sources = json.loads((workspace / ".pipeline" / "sources.json").read_text(encoding="utf-8"))
    sources["documents"]["page.html"]["text"] = nested(5000)  # a copy made before pages were checked
    (workspace / ".pipeline" / "sources.json").write_text(json.dumps(sources), encoding="utf-8")
    code, out, err = pipeline(
        "export", "--format", "html", "--locale", "en", "--include-fuzzy", "--out", "dist", code=None
    )
    assert code == 2 and "page.html:1: elements nested more than 512 deep" in err
    assert not (workspace / "dist").exists()


def test_text_after_the_closing_html_tag_is_read_and_exported(workspace, tiny_models, pipeline):
    page = (
        "<html><body><p>પહેલો ફકરો.<script>var end = '</html>';</script></p></body></html>\n"
        "<p>છેલ્લો ફકરો.</p>\n"
    )  # sloppy templates append after </html>; browsers show it
    (workspace / "articles" / "page.html").write_text(page, encoding="utf-8")
    assert segments(pipeline, "articles") == ["પહેલો ફકરો.", "છેલ્લો ફકરો."]
    assert pipeline("run", "articles", "--to", "en", "--models", tiny_models, code=None).code == 0
    approve(lambda msgid: {"છેલ્લો ફકરો.": "Last paragraph."}.get(msgid, "First paragraph."))
    assert pipeline("export", "--format", "html", "--locale", "en", "--out", "dist", code=None).code == 0
    exported = lxml.html.parse("dist/en/page.html").getroot()
    assert [p.text for p in exported.xpath("//p")] == ["First paragraph. ", "Last paragraph."]
    assert exported.xpath("//script")[0].text == "var end = '</html>';"


def test_markdown_nested_past_the_parser_limit_is_refused(workspace, pipeline):
    (workspace / "articles" / "quotes.md").write_text("પહેલું.\n\n" + ">" * 120 + " ઊંડું લખાણ.\n", encoding="utf-8")
    code, out, err = pipeline("segment", "articles", code=None)
    assert code == 2 and "articles/quotes.md:3: block quotes or lists nested more than 100 deep" in err
    (workspace / "articles" / "quotes.md").write_text(">" * 60 + " ઊંડું લખાણ.\n", encoding="utf-8")
    assert segments(pipeline, "articles") == ["ઊંડું લખાણ."]  # markdown-it's preset alone stops at 20


MARKDOWN = """આજે <script>alert(2)</script> આગળ.

લખાણ <style>p { color: red }</style> અને <span translate="no">બ્રાન્ડ</span> અને <b>ઘાટું</b> છે.

ખુલ્લું <script>var opened = 1;

alert(1) આ અંદર છે.

પૂરું </script> અહીં.

પછીનો ફકરો.
"""
HOSTILE = ' <script>alert("translation")</script><img src=x onerror=alert(5)>[x](javascript:alert(6))'


def rendered_markdown(text: str):
    return lxml.html.fromstring("<div>" + MarkdownIt("commonmark").render(text) + "</div>")


def test_raw_html_in_markdown_is_never_offered_and_never_takes_a_translation(workspace, tiny_models, pipeline):
    (workspace / "articles" / "post.md").write_text(MARKDOWN, encoding="utf-8")
    assert pipeline("run", "articles", "--to", "en", "--models", tiny_models, code=None).code == 0
    msgids = [e.msgid for e in entries()]
    assert msgids == ["આજે <1/> આગળ.", "લખાણ <1/> અને <2/> અને <3/>ઘાટું<4/> છે.", "પછીનો ફકરો."]
    # Every msgstr keeps its placeholders and adds script, an image and a javascript: link.
    approve(lambda msgid: msgid.replace("આજે", "Today").replace("આગળ", "on") + HOSTILE)
    code, out, err = pipeline("export", "--format", "md", "--locale", "en", "--out", "dist", code=None)
    assert code == 0, err
    # Each entry is left out with a warning naming its line (as msgfmt -c refuses a format that
    # does not match): markup a translation adds is never shipped, not even escaped into text.
    lines = [e.linenum for e in entries()]
    for line in lines:
        assert f"messages.po:{line}: left out: placeholders in translation but not in source: " in err, err
    exported = (workspace / "dist" / "en" / "post.md").read_text(encoding="utf-8")
    page, source = rendered_markdown(exported), rendered_markdown(MARKDOWN)
    assert (
        [s.text for s in page.xpath("//script")]
        == [s.text for s in source.xpath("//script")]
        == ["alert(2)", "var opened = 1;</p>\n<p>alert(1) આ અંદર છે.</p>\n<p>પૂરું "]
    )  # as a browser reads it
    assert [s.text for s in page.xpath("//style")] == ["p { color: red }"]
    assert not page.xpath("//img") and not page.xpath("//a") and not page.xpath("//*[@onerror]")
    assert page.xpath("//span[@translate='no']")[0].text == "બ્રાન્ડ"
    assert page.xpath("//p")[0].text_content() == "આજે alert(2) આગળ."  # left in Gujarati, the source's script
    for line in ("ખુલ્લું <script>var opened = 1;", "alert(1) આ અંદર છે.", "પૂરું </script> અહીં."):
        assert line in exported.splitlines()  # inside the open script: left exactly as written


PAGE = """<html><head><title>પાનું</title></head><body>
<p>આજે <script>var x = 1;</script> આગળ વધીએ.</p>
<p>લખાણ <noscript>JavaScript ચાલુ કરો</noscript> અને <textarea>લખો</textarea> બાકી છે.</p>
<p>વાક્ય એક. <img src="a.png" alt="ચિત્ર"></p>
<p><img src="b.png"></p>
<div>ડિવ લખાણ.<br><br></div>
</body></html>
"""


def test_inline_script_and_images_do_not_make_fragments_or_tag_only_entries(workspace, tiny_models, pipeline):
    (workspace / "articles" / "page.html").write_text(PAGE, encoding="utf-8")
    assert pipeline("run", "articles", "--to", "en", "--models", tiny_models, code=None).code == 0
    msgids = [e.msgid for e in entries()]
    assert msgids == ["પાનું", "આજે <1/> આગળ વધીએ.", "લખાણ <1/> અને <2/> બાકી છે.", "ચિત્ર", "વાક્ય એક.", "ડિવ લખાણ."]

    def hostile(msgid: str) -> str:  # the entry's own placeholders, then markup and script
        return " ".join(["Text", *(f"<{t.number}/>" for t in find_tags(msgid))]) + HOSTILE

    approve(hostile)
    code, out, err = pipeline("export", "--format", "html", "--locale", "en", "--out", "dist", code=None)
    assert code == 0, err
    page = lxml.html.parse("dist/en/page.html").getroot()
    assert [s.text for s in page.xpath("//script")] == ["var x = 1;"]
    assert page.xpath("//noscript")[0].text == "JavaScript ચાલુ કરો" and page.xpath("//textarea")[0].text == "લખો"
    assert page.xpath("//img/@src") == ["a.png", "b.png"] and not page.xpath("//*[@onerror]")
    assert len(page.xpath("//div/br")) == 2
    assert page.xpath("//p")[2].text_content() == "વાક્ય એક. "  # markup added: left out, with a warning
    assert err.count("left out: placeholders in translation but not in source: ") == len(msgids)
