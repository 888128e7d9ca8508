"""Rebuilt documents read as the target language writes: no space after 。 between Chinese
sentences, and an exported page marks what stayed Gujarati with lang="gu" (through the CLI)."""

from __future__ import annotations

import lxml.html
import polib
import pytest

FIRST, SECOND, THIRD = "પહેલું વાક્ય.", "બીજું વાક્ય!", "ત્રીજું વાક્ય."
LINE = f"{FIRST} {SECOND} {THIRD}"
REVIEWED = {
    "zh_Hans": {FIRST: "第一句。", SECOND: "第二句！", "<1>પહેલું</1> વાક્ય.": "<1>第一句。</1>"},
    "en": {FIRST: "First.", SECOND: "Second!"},
}
PAGE = f"""<html><head><title>શીર્ષક</title></head><body>
<p>{LINE}</p>
<p><b>પહેલું</b> વાક્ય. {THIRD} {THIRD.replace("ત્રીજું", "ચોથું")}</p>
<p>{THIRD}</p>
</body></html>
"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory, tiny_models, pipeline):
    root = tmp_path_factory.mktemp("rebuilt")
    articles = root / "articles"
    articles.mkdir()
    (articles / "note.txt").write_text(LINE + "\n", encoding="utf-8")
    (articles / "note.md").write_text(f"# શીર્ષક\n\n{LINE}\n", encoding="utf-8")
    (articles / "page.html").write_text(PAGE, encoding="utf-8")
    locales, work = root / "locales", root / "work"
    pipeline("run", articles, "--to", "en,zh_Hans", "--models", tiny_models, "--locales", locales, "--workdir", work)
    for locale, reviewed in REVIEWED.items():
        path = locales / locale / "LC_MESSAGES" / "messages.po"
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = reviewed.get(entry.msgid, "")
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
        po.save()
        for fmt in ("txt", "md", "html"):
            pipeline(
                "export",
                "--format",
                fmt,
                "--locale",
                locale,
                "--locales",
                locales,
                "--workdir",
                work,
                "--out",
                root / "dist" / fmt,
            )
    return root / "dist"


def test_no_space_after_a_full_width_stop_between_sentences(exported):
    assert (exported / "txt" / "zh-Hans" / "note.txt").read_text(encoding="utf-8") == f"第一句。第二句！{THIRD}\n"
    assert (
        (exported / "md" / "zh-Hans" / "note.md").read_text(encoding="utf-8").endswith(f"\n第一句。第二句！{THIRD}\n")
    )
    page = lxml.html.parse(str(exported / "html" / "zh-Hans" / "page.html")).getroot()
    assert page.xpath("//p")[0].text_content() == f"第一句。第二句！{THIRD}"
    assert page.xpath("//p")[1].text_content().startswith(f"第一句。{THIRD} ")  # a tag closes after 。
    # English keeps its spaces.
    assert (exported / "txt" / "en" / "note.txt").read_text(encoding="utf-8") == f"First. Second! {THIRD}\n"


def test_an_exported_page_marks_the_sentences_left_in_gujarati(exported):
    page = lxml.html.parse(str(exported / "html" / "zh-Hans" / "page.html")).getroot()
    assert page.get("lang") == "zh-Hans"
    first, second, third = page.xpath("//body/p")
    assert [(s.get("lang"), s.text_content()) for s in first.xpath("span")] == [("gu", THIRD)]
    # Two Gujarati sentences in a row are one span; the translated bold text is not in one.
    assert [(s.get("lang"), s.text_content()) for s in second.xpath("span")] == [
        ("gu", f"{THIRD} {THIRD.replace('ત્રીજું', 'ચોથું')}")
    ]
    assert second.xpath("b")[0].text == "第一句。" and second.xpath("b")[0].get("lang") is None
    assert [s.get("lang") for s in third.xpath("span")] == ["gu"]
    # A title cannot hold a span: the element itself says it.
    assert page.xpath("//title")[0].get("lang") == "gu" and page.xpath("//title")[0].text == "શીર્ષક"
    assert "<span" not in page.xpath("//title")[0].text
    # Markdown and text carry no such markup.
    for path in ("md/zh-Hans/note.md", "txt/zh-Hans/note.txt", "txt/zh-Hans/page.html.txt"):
        assert "lang=" not in (exported / path).read_text(encoding="utf-8")
