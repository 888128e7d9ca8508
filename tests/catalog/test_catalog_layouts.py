"""Which catalogue a source goes into (`layout.domain_of`, `assign_domains`) and which names can be one."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.layout import PER_DOCUMENT, PER_FOLDER, SINGLE, Paths, assign_domains, check_domain, domain_of


@pytest.mark.parametrize(
    "document,layout,domain",
    [
        ("politics/budget.md", SINGLE, "messages"),
        ("politics/budget.md", PER_DOCUMENT, "politics/budget"),
        ("politics/2026/budget.html", PER_DOCUMENT, "politics/2026/budget"),
        ("budget.txt", PER_DOCUMENT, "budget"),
        ("politics/2026/budget.html", PER_FOLDER, "politics"),
        ("index.md", PER_FOLDER, "index"),
        ("સમાચાર/આજ.md", PER_DOCUMENT, "સમાચાર/આજ"),
    ],
)
def test_a_source_goes_into_the_catalogue_its_path_names(document, layout, domain):
    assert domain_of(document, layout) == domain


def test_sources_are_grouped_by_catalogue_in_sorted_order():
    docs = [(Path(n), n) for n in ["b/x.md", "a/y.md", "b/z.txt", "top.md"]]
    assert assign_domains(docs, PER_FOLDER) == {"a": ["a/y.md"], "b": ["b/x.md", "b/z.txt"], "top": ["top.md"]}
    assert assign_domains(docs, SINGLE, "site") == {"site": ["b/x.md", "a/y.md", "b/z.txt", "top.md"]}


def test_two_sources_of_one_catalogue_per_document_are_refused_naming_both():
    docs = [(Path("articles/a.md"), "a.md"), (Path("articles/a.html"), "a.html")]
    with pytest.raises(PipelineError) as caught:
        assign_domains(docs, PER_DOCUMENT)
    assert "articles/a.md and articles/a.html would share the catalogue a.po" in str(caught.value)


def test_catalogues_differing_only_in_case_are_refused():
    docs = [(Path("s/News.md"), "News.md"), (Path("s/news.md"), "news.md")]
    with pytest.raises(PipelineError, match="differ only in case"):
        assign_domains(docs, PER_DOCUMENT)


@pytest.mark.parametrize("name", ["my page", ".hidden/a", "a/../b", "a//b", "", "a\\b", "x\ny", "a/.b"])
def test_names_no_catalogue_can_have_are_refused(name):
    with pytest.raises(PipelineError, match="not a usable catalogue name"):
        check_domain(name)
    if "//" in name:
        return  # no document is named so: `ingest.collect_sources` refuses empty folder names
    with pytest.raises(PipelineError, match="not a usable gettext domain"):
        assign_domains([(Path(name + ".md"), name + ".md")], PER_DOCUMENT)


def test_nested_catalogues_are_found_under_every_locale(tmp_path):
    locales = tmp_path / "locales"
    for rel in ["en/LC_MESSAGES/a/b.po", "zh_Hans/LC_MESSAGES/c.po", "a/b.pot", "backup/LC_MESSAGES/d.po"]:
        (locales / rel).parent.mkdir(parents=True, exist_ok=True)
        (locales / rel).write_text("")
    paths = Paths(tmp_path / ".pipeline", locales)
    assert paths.found_domains() == ["a/b", "c"]
    assert paths.found_domains(["en"]) == ["a/b"]
    assert paths.for_domain("a/b").po("en") == locales / "en/LC_MESSAGES/a/b.po"
    assert paths.for_domain("a/b").pot() == locales / "a/b.pot"
