"""The splitter inside the pipeline: over-long sentences, configurable artefacts, and the benchmark's scoring."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import polib

from pipeline import jobs
from pipeline.config import load_config

ROOT = Path(__file__).parent.resolve().parent.parent
CLAUSES = ["ગુજરાત ભારતનું એક રાજ્ય છે", "તેની રાજધાની ગાંધીનગર છે", "અમદાવાદ સૌથી મોટું શહેર છે", "અને સુરત હીરા માટે જાણીતું છે"]


def test_a_sentence_too_long_for_the_model_is_split_for_it_and_stays_one_catalogue_entry(tmp_path, tiny_models):
    long_sentence = ", ".join(CLAUSES) + "."
    src = tmp_path / "articles"
    src.mkdir()
    (src / "a.txt").write_text(f"{long_sentence} ભારત એક દેશ છે.\n", encoding="utf-8")
    fed: list[str] = []

    def factory(spec):  # the configured model, with a 20-token input limit
        spec = dataclasses.replace(spec, generation=dataclasses.replace(spec.generation, max_input_tokens=20))
        translator = jobs.default_factory(spec)
        real = translator.model.generate

        def generate(*args, **kwargs):
            fed.extend(translator.tokenizer.batch_decode(kwargs["input_ids"], skip_special_tokens=True))
            return real(*args, **kwargs)

        translator.model.generate = generate
        return translator

    paths = jobs.Paths(tmp_path / ".pipeline", tmp_path / "locales", "messages")
    jobs.run_all([src], ["en"], load_config(tiny_models), paths, factory)

    pieces = [p.strip().rstrip(",.") for p in fed]
    assert sorted(p for p in pieces if p in CLAUSES) == sorted(CLAUSES)  # fed clause by clause
    assert long_sentence not in fed
    pot = polib.pofile(str(tmp_path / "locales" / "messages.pot"))
    assert [e.msgid for e in pot] == [long_sentence, "ભારત એક દેશ છે."]  # one entry, joined back
    po = polib.pofile(str(tmp_path / "locales" / "en" / "LC_MESSAGES" / "messages.po"))
    assert [e.msgid for e in po] == [long_sentence, "ભારત એક દેશ છે."]
    assert all(e.msgstr.strip() for e in po)


def test_artefact_patterns_reach_the_segment_stage_and_its_cache_key(tmp_path, pipeline):
    src = tmp_path / "articles"
    src.mkdir()
    (src / "a.txt").write_text("Advertisement\nઆ વાક્ય છે.\n", encoding="utf-8")
    paths = jobs.Paths(tmp_path / ".pipeline", tmp_path / "locales", "messages")
    with jobs.Runner(paths) as runner:
        assert [s.text for s in runner.segment([src]).segments] == ["Advertisement", "આ વાક્ય છે."]
    with jobs.Runner(paths, artefact_patterns=("Advertisement",)) as runner:
        segments = runner.segment([src]).segments
    assert [s.text for s in segments] == ["આ વાક્ય છે."] and "segment" not in runner.report.skipped

    proc = pipeline("segment", src, "--jsonl", "--artefact", "Advert.*", cwd=tmp_path, separate=True, env={"PATH": ""})
    assert [json.loads(line)["text"] for line in proc.stdout.splitlines()] == ["આ વાક્ય છે."]


def test_benchmark_scores_line_ends_and_treats_two_sentence_lines_as_the_english_says(tmp_path):
    gu = ["ડૉ. મહેતા આવ્યા.", "આ પહેલું છે. આ બીજું છે.", '"તેણે કહ્યું, ""હા."""', "અલગ લેખ છે."]
    en = ["Dr. Mehta came.", "This is first. This is second.", 'He said, "Yes."', "Another article."]
    urls = ["u1", "u1", "u1", "u2"]
    (tmp_path / "guj_Gujr.dev").write_text("\n".join(gu) + "\n", encoding="utf-8")
    (tmp_path / "eng_Latn.dev").write_text("\n".join(en) + "\n", encoding="utf-8")
    (tmp_path / "metadata_dev.tsv").write_text(
        "URL\tdomain\n" + "".join(f"{u}\twiki\n" for u in urls), encoding="utf-8"
    )
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "segment.py"), "--data", str(tmp_path), "--json", "--no-speed"],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(proc.stdout)
    assert result["data"] == {
        "paragraphs": 2,
        "lines": 4,
        "gold_boundaries": 2,
        "gold_without_end_punctuation": 0,
        "megabytes": result["data"]["megabytes"],
    }
    ours = result["splitters"]["ours (pipeline.segment)"]
    assert ours["scored"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 2, "fp": 0, "fn": 0, "neutral": 1}
    assert ours["strict"]["fp"] == 1 and ours["strict"]["neutral"] == 0
    naive = result["splitters"]["naive regex"]["scored"]
    assert naive["fp"] == 1 and naive["tp"] == 2  # it cuts after "ડૉ."
