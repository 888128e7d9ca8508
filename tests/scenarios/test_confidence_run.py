"""Confidence through the CLI on both backends: every machine-made entry says how sure the model
was, the number is the one kept in the memory, a re-run rewrites nothing, and `status --worst`
sends the reviewer first to the sentence the trained model never saw."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest

from pipeline.cli import main
from pipeline.memory import TranslationMemory

pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

LEARNT = ["દેશભરમાં લગભગ 300000 સમુદાયો બનાવવામાં આવ્યા છે.", "ગુજરાત ભારતનું એક રાજ્ય છે."]  # training pairs
UNSEEN = "હવામાન વિભાગે આવતીકાલે ભારે વરસાદની આગાહી કરી છે."


def models_for(models_file, folder: Path, backend: str) -> Path:
    """The trained model on `backend`, unquantised (the scores compared are the model's own)."""
    text = models_file.text("models-trained.yaml", backend=backend)
    path = folder / f"models-{backend}.yaml"
    path.write_text(
        text.replace(f"backend: {backend}", f"backend: {backend}\n    quantization: float32"), encoding="utf-8"
    )
    return path


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_each_machine_translation_carries_its_confidence(
    trained_model, tmp_path, monkeypatch, capsys, backend, models_file
):
    monkeypatch.chdir(tmp_path)
    Path("news.txt").write_text(" ".join(LEARNT) + "\n" + UNSEEN + "\n", encoding="utf-8")
    models = models_for(models_file, tmp_path, backend)
    assert main(["run", "news.txt", "--to", "en,zh_Hans", "--models", str(models)]) == 0
    po_path = tmp_path / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    po = polib.pofile(str(po_path))
    with TranslationMemory(tmp_path / ".pipeline" / "memory.sqlite") as memory:
        rows = memory._db.execute("SELECT source, confidence FROM translations WHERE tgt='en'").fetchall()
    stored = dict(rows)
    for entry in po:
        lines = entry.comment.split("\n")
        assert lines[0].startswith("machine translation: ") and re.fullmatch(r"confidence: 0\.\d\d", lines[1])
        shown = float(lines[1].split(": ")[1])  # the stored score cut to two decimals, at most 0.99
        assert shown <= stored[entry.msgid] < shown + 0.01 or shown == 0.99 <= stored[entry.msgid]
    confidence = {e.msgid: float(e.comment.split("\n")[1].split(": ")[1]) for e in po}
    assert confidence[UNSEEN] < min(confidence[s] for s in LEARNT)

    before = {p: p.read_bytes() for p in (tmp_path / "locales").rglob("*") if p.is_file()}
    assert main(["run", "news.txt", "--to", "en,zh_Hans", "--models", str(models)]) == 0
    assert {p: p.read_bytes() for p in (tmp_path / "locales").rglob("*") if p.is_file()} == before

    capsys.readouterr()
    assert main(["status", "--worst", "2", "--json"]) == 0
    worst = json.loads(capsys.readouterr().out)
    assert [w["msgid"] for w in worst] == [UNSEEN, UNSEEN] and {w["locale"] for w in worst} == {"en", "zh_Hans"}
    assert main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["en"]["confidence"]["scored"] == 3
    assert status["en"]["confidence"]["lowest"] == confidence[UNSEEN]


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_confidence_false_skips_the_scoring_pass(trained_model, tmp_path, monkeypatch, backend, models_file):
    monkeypatch.chdir(tmp_path)
    Path("news.txt").write_text(" ".join(LEARNT) + "\n", encoding="utf-8")
    models = models_for(models_file, tmp_path, backend)
    models.write_text(
        models.read_text(encoding="utf-8").replace("    family: nllb\n", "    family: nllb\n    confidence: false\n"),
        encoding="utf-8",
    )
    assert main(["run", "news.txt", "--to", "en", "--models", str(models)]) == 0
    po = polib.pofile(str(tmp_path / "locales" / "en" / "LC_MESSAGES" / "messages.po"))
    assert len(po) == 2 and all(e.comment.startswith("machine translation: ") for e in po)
    assert not any("confidence" in e.comment for e in po)
    with TranslationMemory(tmp_path / ".pipeline" / "memory.sqlite") as memory:
        assert memory._db.execute("SELECT confidence FROM translations").fetchall() == [(None,), (None,)]
