"""`pipeline export`: HTML, Markdown and text through the pipeline with the tiny models, then out as
.mo, JSON and rebuilt documents; reviewed translations only unless --include-fuzzy."""

from __future__ import annotations

import gettext
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import lxml.html
import polib
import pytest
from markdown_it import MarkdownIt

from pipeline import jobs
from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.export.documents import export
from pipeline.localise.markup import check_markup, strip_placeholders

SITE = Path(__file__).parent.resolve().parent / "data" / "site"
NOTICE = SITE / "notice.txt"
HEADLINE = "જાહેર સુરક્ષા મંત્રાલય: દેશભરમાં લગભગ 300000 બુદ્ધિશાળી સુરક્ષા સમુદાયો બનાવવામાં આવ્યા છે"
SCHEME = "રાજ્ય સરકારે <1>નવી યોજના</1> જાહેર કરી."
# What a reviewer wrote and approved (fuzzy cleared); everything else stays machine output, fuzzy.
REVIEWED = {
    "en": {
        "મુખ્ય સમાચાર": "Top news",
        SCHEME: "The state government announced <1>a new scheme</1>.",
        "સ્થાપન માર્ગદર્શિકા": "Installation guide",
        "ગુજરાતનો નકશો": "Map of Gujarat",
        HEADLINE: "Ministry of Public Security: about 300,000 smart safe communities built",
    },
    "zh_Hans": {"મુખ્ય સમાચાર": "要闻"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory, tiny_models) -> Path:
    root = tmp_path_factory.mktemp("site")
    articles = root / "articles"
    articles.mkdir()
    for name in ("news.html", "guide.md", "notice.txt"):
        shutil.copy(SITE / name, articles / name)
    paths = jobs.Paths(root / ".pipeline", root / "locales", "messages")
    jobs.run_all([articles], ["en", "zh_Hans"], load_config(tiny_models), paths)
    for locale, reviewed in REVIEWED.items():
        po = polib.pofile(str(paths.po(locale)))
        for entry in po:
            if entry.msgid in reviewed:
                entry.msgstr = reviewed[entry.msgid]
                entry.flags.remove("fuzzy")
        po.save()
    return root


def run_export(site: Path, fmt: str, locale: str, out: Path, include_fuzzy: bool = False):
    return export(
        fmt,
        locale,
        paths=jobs.Paths(site / ".pipeline", site / "locales", "messages"),
        out=out,
        include_fuzzy=include_fuzzy,
    )


def catalogue(site: Path, locale: str) -> polib.POFile:
    return polib.pofile(str(site / "locales" / locale / "LC_MESSAGES" / "messages.po"))


def test_machine_translations_carry_the_source_markup(site, msgfmt_check):
    po = catalogue(site, "zh_Hans")
    marked = [e for e in po if "<1" in e.msgid]
    assert len(marked) >= 6 and all(e.fuzzy for e in marked)
    for entry in marked:
        assert check_markup(entry.msgid, entry.msgstr) == [], entry.msgstr
    msgfmt_check(site / "locales" / "zh_Hans" / "LC_MESSAGES" / "messages.po")


def test_mo_loads_through_gettext(site, tmp_path):
    run_export(site, "mo", "en", tmp_path / "reviewed")
    t = gettext.translation("messages", localedir=tmp_path / "reviewed", languages=["en"])
    assert t.gettext("મુખ્ય સમાચાર") == "Top news"
    assert t.gettext(HEADLINE) == REVIEWED["en"][HEADLINE]
    assert t.gettext("પહેલો મુદ્દો") == "પહેલો મુદ્દો"  # fuzzy: not shipped, gettext falls back
    run_export(site, "mo", "en", tmp_path / "all", include_fuzzy=True)
    t = gettext.translation("messages", localedir=tmp_path / "all", languages=["en"])
    fuzzy = next(e for e in catalogue(site, "en") if e.msgid == "પહેલો મુદ્દો")
    assert t.gettext("પહેલો મુદ્દો") == fuzzy.msgstr != "પહેલો મુદ્દો"


def test_json_is_flat_and_reviewed_only_by_default(site, tmp_path):
    report = run_export(site, "json", "en", tmp_path)
    data = json.loads((tmp_path / "en" / "messages.json").read_text(encoding="utf-8"))
    assert data == REVIEWED["en"]
    assert report.translated == len(REVIEWED["en"]) and report.untranslated > 0
    run_export(site, "json", "zh_Hans", tmp_path, include_fuzzy=True)
    data = json.loads((tmp_path / "zh-Hans" / "messages.json").read_text(encoding="utf-8"))
    po = catalogue(site, "zh_Hans")
    assert data == {e.msgid: e.msgstr for e in po if e.msgstr and not e.obsolete}
    assert data["મુખ્ય સમાચાર"] == "要闻"


def test_text_document_keeps_its_lines(site, tmp_path):
    run_export(site, "txt", "en", tmp_path)
    out = (tmp_path / "en" / NOTICE.name).read_text(encoding="utf-8")
    source = NOTICE.read_text(encoding="utf-8")
    expected = source.replace(HEADLINE, REVIEWED["en"][HEADLINE])
    assert out == expected  # only the reviewed sentence changed; debris lines and layout intact
    # HTML and Markdown sources come out as text too, markup gone.
    text = (tmp_path / "en" / "news.html.txt").read_text(encoding="utf-8")
    assert "The state government announced a new scheme." in text and "<1>" not in text


def test_markdown_document_rebuilt_with_structure(site, tmp_path):
    run_export(site, "md", "en", tmp_path)
    out = (tmp_path / "en" / "guide.md").read_text(encoding="utf-8")
    assert out.startswith("---\ntitle: માર્ગદર્શિકા\nslug: guide\n---\n")
    root = lxml.html.fromstring("<div>" + MarkdownIt("commonmark").render(out.split("---\n", 2)[2]) + "</div>")
    assert root.xpath("//h1")[0].text_content() == "Installation guide"
    assert root.xpath("//img/@alt") == ["Map of Gujarat"] and root.xpath("//img/@src") == ["images/map.png"]
    assert root.xpath("//a/@href") == ["https://example.com/gu/help"]
    assert "સરળ" in root.xpath("//em")[0].text  # not reviewed: stays Gujarati
    assert 'echo "કોડ બ્લોક"' in root.xpath("//pre/code")[0].text

    run_export(site, "md", "zh_Hans", tmp_path, include_fuzzy=True)
    out = (tmp_path / "zh-Hans" / "guide.md").read_text(encoding="utf-8")
    source = (SITE / "guide.md").read_text(encoding="utf-8")
    rendered = lxml.html.fromstring("<div>" + MarkdownIt("commonmark").render(out.split("---\n", 2)[2]) + "</div>")
    original = lxml.html.fromstring("<div>" + MarkdownIt("commonmark").render(source.split("---\n", 2)[2]) + "</div>")
    for path in ("//h1", "//p", "//li", "//em", "//a", "//code", "//pre", "//img"):
        assert len(rendered.xpath(path)) == len(original.xpath(path)), path
    assert rendered.xpath("//a/@href") == original.xpath("//a/@href")
    assert rendered.xpath("//pre")[0].text_content() == original.xpath("//pre")[0].text_content()
    po = {e.msgid: e.msgstr for e in catalogue(site, "zh_Hans")}
    assert rendered.xpath("//h1")[0].text_content() == strip_placeholders(po["સ્થાપન માર્ગદર્શિકા"])


def test_html_page_rebuilt_with_markup_from_the_source(site, tmp_path):
    run_export(site, "html", "en", tmp_path)
    root = lxml.html.parse(str(tmp_path / "en" / "news.html")).getroot()
    assert root.get("lang") == "en" and root.get("dir") == "ltr"
    assert root.xpath("//h1")[0].text == "Top news"
    first = root.xpath("//body/p")[0]
    assert first.text_content().startswith("The state government announced a new scheme. આ યોજના")
    link = first.xpath("a")[0]
    assert link.text == "a new scheme" and link.get("href") == "https://example.gov.in/yojana?id=5&lang=gu"
    assert root.xpath("//img/@alt") == ["Map of Gujarat"]
    assert root.xpath("//pre")[0].text == "કોડ અહીં છે" and root.xpath("//code")[0].text == "pip install"

    run_export(site, "html", "zh_Hans", tmp_path, include_fuzzy=True)
    page = lxml.html.parse(str(tmp_path / "zh-Hans" / "news.html")).getroot()
    source = lxml.html.parse(str(SITE / "news.html")).getroot()
    assert page.get("lang") == "zh-Hans"
    for tag in ("p", "a", "strong", "em", "br", "code", "img", "li", "script", "pre", "template", "span"):
        assert len(page.xpath(f"//{tag}")) == len(source.xpath(f"//{tag}")), tag
    assert page.xpath("//a/@href") == source.xpath("//a/@href")
    assert page.xpath("//h1")[0].text == "要闻"
    po = {e.msgid: e.msgstr for e in catalogue(site, "zh_Hans")}
    assert page.xpath("//title")[0].text == strip_placeholders(po["ગુજરાત સમાચાર"])
    assert page.xpath("//input/@placeholder") == [po["શોધો"]]
    assert page.xpath("//span/@title") == [po["સંકેત"]]  # attribute of an inline element, kept in its run


def test_no_path_leaves_the_output_folder(site, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(site / ".pipeline", work)
    sources = json.loads((work / "sources.json").read_text(encoding="utf-8"))
    page = sources["documents"]["news.html"]
    for evil in ("../../escaped.html", "/tmp/escaped.html", "a/../../escaped.html"):
        sources["documents"] = {evil: page}
        (work / "sources.json").write_text(json.dumps(sources), encoding="utf-8")
        with pytest.raises(PipelineError, match="would leave the output folder"):
            export("html", "en", paths=jobs.Paths(work, site / "locales", "messages"), out=tmp_path / "out")
    assert not list(tmp_path.rglob("escaped.html")) and not Path("/tmp/escaped.html").exists()
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked" / "en").symlink_to(outside)
    with pytest.raises(PipelineError, match="would leave the output folder"):
        run_export(site, "json", "en", tmp_path / "linked")
    assert not list(outside.iterdir())


def test_export_command(site, tmp_path, pipeline):
    proc = pipeline(
        "export", "--format", "html", "--locale", "en,zh_Hans", "--include-fuzzy", "--out", tmp_path, cwd=site
    )
    assert (tmp_path / "en" / "news.html").exists() and (tmp_path / "zh-Hans" / "news.html").exists()
    assert "en (html): 1 file(s)" in proc.stdout and "document(s) not in html skipped" in proc.stdout
    proc = pipeline("export", "--format", "mo", "--locale", "en_IN", cwd=site, code=None)
    assert proc.returncode == 2 and "no catalogue for en_IN" in proc.stderr and "Traceback" not in proc.stderr


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_exported_page_renders_in_headless_chromium(site, tmp_path):
    binary = chromium_binary()
    if binary is None:
        if os.environ.get("PIPELINE_REQUIRE_CHROMIUM"):
            pytest.fail("chromium is required here (PIPELINE_REQUIRE_CHROMIUM is set) but not installed")
        pytest.skip("chromium not installed (Debian package `chromium`; .ci/run installs it)")
    run_export(site, "html", "zh_Hans", tmp_path / "out")
    page = tmp_path / "out" / "zh-Hans" / "news.html"
    proc = subprocess.run(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            f"--user-data-dir={tmp_path / ('chromium-' + uuid.uuid4().hex)}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = lxml.html.document_fromstring(proc.stdout.encode("utf-8"))
    assert dom.get("lang") == "zh-Hans"
    # Set by the page's own script from the laid-out page: the language and the headline as shown.
    assert dom.xpath("//body/@data-rendered") == ["zh-Hans|要闻"]
    assert dom.xpath("//a/@href") == ["https://example.gov.in/yojana?id=5&lang=gu"]
