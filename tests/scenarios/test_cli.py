"""The `pipeline` command end to end on a Gujarati document, with the tiny models."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest

from pipeline import jobs
from pipeline.config import load_config

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "smart-communities.gu.txt"


@pytest.fixture
def project(tmp_path):
    src = tmp_path / "articles"
    src.mkdir()
    shutil.copy(EXAMPLE, src / EXAMPLE.name)
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_run_writes_review_ready_catalogues(project, tiny_models, pipeline, msgfmt_check):
    proc = pipeline("run", "articles", "--to", "en,zh_Hans", "--models", tiny_models, cwd=project)
    lines = proc.stdout.strip().splitlines()
    summary = lines[next(i for i, line in enumerate(lines) if line.startswith("16 segments (")) :][:3]
    # the sources, then one line per locale (then what the licences allow)
    assert [line.split(":")[0] for line in summary[1:]] == ["en", "zh_Hans"]
    assert all("translated by" in line and "QA findings" in line for line in summary[1:])
    pot = polib.pofile(str(project / "locales" / "messages.pot"))
    assert len(pot) == 16 and not any("wps_doc" in e.msgid for e in pot)
    assert pot[0].occurrences == [("smart-communities.gu.txt", "")]
    for locale, plural in (("en", "nplurals=2; plural=(n != 1);"), ("zh_Hans", "nplurals=1; plural=0;")):
        po_path = project / "locales" / locale / "LC_MESSAGES" / "messages.po"
        msgfmt_check(po_path)
        po = polib.pofile(str(po_path))
        assert po.metadata["Language"] == locale and po.metadata["Plural-Forms"] == plural
        assert [e.msgid for e in po] == [e.msgid for e in pot]
        assert all(e.fuzzy and e.msgstr and e.comment.startswith("machine translation: ") for e in po)
        assert (po_path.with_suffix(".mo")).exists()
        # Random weights never reproduce 300000: the lost number must be reported on the entry.
        headline = next(e for e in po if "300000" in e.msgid)
        assert "qa: numbers: number missing or changed in translation: 300000" in headline.comment


def test_no_change_rerun_loads_no_model_and_changes_no_byte(project, tiny_models, pipeline):
    pipeline("run", "articles", "--to", "en", "--models", tiny_models, cwd=project)
    before = snapshot(project / "locales")
    again = pipeline("run", "articles", "--to", "en", "--models", tiny_models, cwd=project)
    assert "loading" not in again.stderr
    assert "0 translated by" in again.stdout
    assert snapshot(project / "locales") == before


def test_reviewed_entry_survives_and_only_new_text_is_translated(project, tiny_models, pipeline, msgfmt_check):
    pipeline("run", "articles", "--to", "en", "--models", tiny_models, cwd=project)
    po_path = project / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    po = polib.pofile(str(po_path))
    po[0].msgstr = "Ministry of Public Security: about 300,000 smart safe communities built"
    po[0].flags.remove("fuzzy")
    po.save()
    article = project / "articles" / EXAMPLE.name
    text = article.read_text(encoding="utf-8")
    last_line = text.rstrip().splitlines()[-1]
    article.write_text(text.replace(last_line, "આ એક નવું વાક્ય છે."), encoding="utf-8")

    calls = []
    config = load_config(tiny_models)

    def factory(spec):
        translator = jobs.default_factory(spec)
        real = translator.translate_scored

        def counting(texts, *args, **kwargs):
            calls.extend(texts)
            return real(texts, *args, **kwargs)

        translator.translate_scored = counting
        return translator

    paths = jobs.Paths(project / ".pipeline", project / "locales", "messages")
    report = jobs.run_all([project / "articles"], ["en"], config, paths, factory)
    assert calls == ["આ એક નવું વાક્ય છે."]
    assert report.locales["en"].by_model == 1 and report.locales["en"].reviewed == 1
    after = {e.msgid: e for e in polib.pofile(str(po_path))}
    assert after[po[0].msgid].msgstr.startswith("Ministry of Public Security") and not after[po[0].msgid].fuzzy
    assert after["આ એક નવું વાક્ય છે."].fuzzy
    assert after[last_line].obsolete
    msgfmt_check(po_path)


def test_stages_one_by_one_match_run(project, tiny_models, pipeline):
    one = project / "one"
    two = project / "two"
    common = ["--to", "zh_Hans", "--models", tiny_models]
    pipeline("run", "articles", *common, "--locales", one / "locales", "--workdir", one / "work", cwd=project)
    opts = ["--locales", two / "locales", "--workdir", two / "work"]
    pipeline("segment", "articles", *opts, cwd=project)
    pipeline("translate", *common, *opts, cwd=project)
    pipeline("localize", *common, *opts, cwd=project)
    pipeline("catalog", *common, *opts, cwd=project)
    a, b = snapshot(one / "locales"), snapshot(two / "locales")
    assert a.keys() == b.keys()
    strip = lambda data: b"\n".join(line for line in data.split(b"\n") if b"-Date:" not in line)  # noqa: E731
    assert all(strip(a[k]) == strip(b[k]) for k in a if k.endswith(".po"))


def test_stage_without_its_input_says_what_to_run(project, tiny_models, pipeline):
    proc = pipeline("translate", "--to", "en", "--models", tiny_models, cwd=project, code=None)
    assert proc.returncode != 0 and "run `pipeline segment SOURCES` first" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_segment_jsonl(project, pipeline):
    proc = pipeline("segment", "articles", "--jsonl", cwd=project)
    import json

    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 16
    assert set(rows[0]) >= {"doc", "block", "index", "text", "start", "end"}
    text = EXAMPLE.read_text(encoding="utf-8")
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    assert rows[0]["block"] == 1 and rows[1]["block"] == 3  # "• 1" and wps_doc_0 are blocks too


def test_missing_model_offline_is_one_clear_message(project, tmp_path, pipeline):
    env = os.environ.copy()
    env.update(HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "empty-hf-home"))
    proc = pipeline(
        "run",
        "articles",
        "--to",
        "en",
        "--models",
        ROOT / "models.yaml",
        cwd=project,
        separate=True,
        env=env,
        code=None,
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "ai4bharat/indictrans2-indic-en-dist-200M" in proc.stderr and "hf download" in proc.stderr


def test_bad_locale_and_missing_source_are_clear_errors(project, tiny_models, pipeline):
    proc = pipeline("run", "articles", "--to", "xx_Klingon", "--models", tiny_models, cwd=project, code=None)
    assert proc.returncode == 2 and "unknown locale 'xx_Klingon'" in proc.stderr
    proc = pipeline("run", "nowhere.txt", "--to", "en", "--models", tiny_models, cwd=project, code=None)
    assert proc.returncode == 2 and "nowhere.txt: source path does not exist" in proc.stderr


def test_help_works(pipeline):
    out = pipeline("--help", cwd=ROOT)
    assert "segment" in out.stdout and "catalog" in out.stdout
