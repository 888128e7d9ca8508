"""`pipeline evaluate` on FLORES lines with the tiny models (gibberish output, real scoring)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import evaluate

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "flores-sample"


def test_evaluate_compares_several_models_files_in_one_table(tiny_models, tmp_path, pipeline):
    int8 = tmp_path / "int8.yaml"  # the tiny NLLB on CTranslate2 int8 next to transformers
    text = tiny_models.read_text(encoding="utf-8").replace("./", f"{tiny_models.parent}/")
    int8.write_text(
        text.replace("backend: transformers", "backend: ctranslate2\n    quantization: int8"), encoding="utf-8"
    )
    proc = pipeline(
        "evaluate",
        "--src",
        SAMPLE / "guj_Gujr.txt",
        "--ref",
        SAMPLE / "zho_Hans.txt",
        "--to",
        "zh_Hans",
        "--models",
        tiny_models,
        "--models",
        int8,
        "--limit",
        "12",
        "--json",
        cwd=tmp_path,
        code=None,
    )
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [r["label"] for r in rows] == [
        "models.yaml: nllb-tiny (transformers, beam 2)",
        "int8.yaml: nllb-tiny (ctranslate2, int8, beam 2)",
    ]
    for row in rows:
        # gibberish scores low; with its loops cut (as run cuts them) it may share no character with the
        # reference at all, so 0 is possible: the scorer itself is pinned by the exact-score test below
        assert row["lines"] == 12 and 0 <= row["bleu"] < 5 and 0 <= row["chrf++"] < 30
        assert row["numbers_total"] > 0 and 0 <= row["numbers_right"] <= row["numbers_total"]
    table = pipeline(
        "evaluate",
        "--src",
        SAMPLE / "guj_Gujr.txt",
        "--ref",
        SAMPLE / "eng_Latn.txt",
        "--to",
        "en",
        "--models",
        tiny_models,
        "--limit",
        "5",
        cwd=tmp_path,
        code=None,
    )
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0] == "5 lines, gu → en" and lines[1].split()[:3] == ["model", "BLEU", "chrF++"]
    assert lines[3].startswith("models.yaml: nllb-tiny (transformers, beam 2)")


def test_scores_are_sacrebleu_with_the_chinese_tokenizer_and_numbers_by_value():
    refs = ["我们在2024年种了30万棵树。", "他有5个苹果。"]
    perfect = evaluate.score("same", ["", ""], refs, refs, "zh_Hans", 1.0)
    assert perfect.bleu == pytest.approx(100) and perfect.chrf == pytest.approx(100)
    # BLEU on unsegmented Chinese only works with the zh tokenizer: one wrong character is not a zero
    near = evaluate.score("near", ["", ""], ["我们在2024年种了30万棵树。", "他有5个梨。"], refs, "zh_Hans", 1.0)
    assert 40 < near.bleu < 100
    sources = ["૨૦૨૪માં ૩,૦૦,૦૦૦ વૃક્ષો વાવ્યાં.", "તેની પાસે 5 સફરજન છે."]
    right, total = evaluate.numbers_kept(sources, ["In 2024 we planted 300,000 trees.", "He has 6 apples."])
    assert (right, total) == (2, 3)
    assert evaluate.numbers_kept(sources, ["2024年种了30万棵树。", "他有5个苹果。"]) == (3, 3)


def test_translate_lines_goes_sentence_by_sentence_and_localises_numbers():
    class Echo:  # stands in for a model: says which sentence it got, keeps its digits
        calls = []

        def translate(self, texts, src, tgt):
            self.calls.append(texts)
            return [f"<{t.split()[0]}> 300000" for t in texts]

    echo = Echo()
    out = evaluate.translate_lines(echo, ["પહેલું ૩,૦૦,૦૦૦ વાક્ય. બીજું ૩,૦૦,૦૦૦ વાક્ય.", "ત્રીજું."], "en_IN", "indian")
    assert echo.calls == [["પહેલું 300000 વાક્ય.", "બીજું 300000 વાક્ય.", "ત્રીજું."]]
    assert out == ["<પહેલું> 3,00,000 <બીજું> 3,00,000", "<ત્રીજું.> 300000"]


def test_misaligned_or_unreadable_files_are_clear_errors(tmp_path, tiny_models, pipeline):
    src, ref = tmp_path / "src.txt", tmp_path / "ref.txt"
    src.write_text("એક.\nબે.\n", encoding="utf-8")
    ref.write_text("One.\n", encoding="utf-8")
    proc = pipeline(
        "evaluate", "--src", src, "--ref", ref, "--to", "en", "--models", tiny_models, cwd=tmp_path, code=None
    )
    assert proc.returncode != 0 and "2 source lines but 1 reference lines" in proc.stderr
    ref.write_text("One.\n\n", encoding="utf-8")
    proc = pipeline(
        "evaluate", "--src", src, "--ref", ref, "--to", "en", "--models", tiny_models, cwd=tmp_path, code=None
    )
    assert proc.returncode != 0 and f"{ref}:2" in proc.stderr and "empty reference" in proc.stderr
    ref.write_bytes(b"One.\n\xff\n")
    proc = pipeline(
        "evaluate", "--src", src, "--ref", ref, "--to", "en", "--models", tiny_models, cwd=tmp_path, code=None
    )
    assert proc.returncode != 0 and "not UTF-8" in proc.stderr and f"{ref}:2" in proc.stderr
