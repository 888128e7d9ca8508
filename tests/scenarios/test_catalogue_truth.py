"""The catalogue is the truth: what a run does to an entry is decided by the .po alone, so a fresh
clone without `.pipeline/` (CI, another machine, a Weblate round trip) gives the same catalogues,
and nothing a person wrote is lost or re-translated."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polib
import pytest

from pipeline import evaluate, translate
from pipeline.catalog import entry

ROOT = Path(__file__).resolve().parents[2]
GU = (ROOT / "tests" / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
S = GU[30:36]


@pytest.fixture
def project(new_project):
    return new_project({"a.gu.txt": f"{S[0]} {S[1]}\n{S[2]}\n"})


def po_path(project: Path, locale="en") -> Path:
    return project / "locales" / locale / "LC_MESSAGES" / "messages.po"


def by_id(path: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(path))}


def test_a_fuzzy_edit_survives_a_fresh_clone(project, pipeline):
    """The issue's report: edit an entry, leave it fuzzy, delete .pipeline, run again."""
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    po = polib.pofile(str(po_path(project)))
    machine = po[1].msgstr
    po[1].msgstr = "A reviewer's correction, still fuzzy"
    po.save()
    shutil.rmtree(project / ".pipeline")
    out = pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    e = by_id(po_path(project))[S[1]]
    assert e.msgstr == "A reviewer's correction, still fuzzy" and e.fuzzy
    assert entry.state(e) is entry.State.EDITED
    assert "0 reviewed kept, 1 edited kept" in out.out and machine != e.msgstr


def test_pipeline_entries_carry_model_and_digest_of_what_was_written(project, pipeline):
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    for e in polib.pofile(str(po_path(project))):
        model, written = entry.model_of(e), entry.written_digest(e)
        assert "nllb-tiny@" in model and written == entry.digest(e.msgstr)
        assert e.tcomment == entry.machine_note(e.msgstr)
        assert entry.state(e) is entry.State.MACHINE
    assert not list((project / ".pipeline").glob("owned-*.json"))  # nothing beside the catalogue decides


def test_a_catalogue_from_an_earlier_version_upgrades_without_losing_an_edit(project, pipeline):
    """Earlier versions wrote `machine translation: MODEL` and kept the pipeline's texts in
    .pipeline/owned-<locale>.json; with that file every edit is told apart, without it none is touched."""
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    path = po_path(project)
    text = re.sub(
        r"(?m)^# machine translation, awaiting review \(msgstr sha256 [0-9a-f]{8}\)\n",
        "",
        path.read_text(encoding="utf-8"),
    )
    path.write_text(text, encoding="utf-8")
    po = polib.pofile(str(path))
    owned = {e.msgid: e.msgstr for e in po}
    po[0].msgstr = "Edited before the upgrade"
    po.save()
    (project / ".pipeline" / "owned-en.json").write_text(json.dumps(owned, ensure_ascii=False), encoding="utf-8")
    models = project / "models.yaml"
    models.write_text(models.read_text().replace("beam_size: 2", "beam_size: 1", 1), encoding="utf-8")
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    e = by_id(path)
    assert e[S[0]].msgstr == "Edited before the upgrade" and e[S[0]].fuzzy  # a person's, kept
    for msgid in (S[1], S[2]):  # the pipeline's own: re-translated with the new settings, now with a digest
        assert entry.written_digest(e[msgid]) == entry.digest(e[msgid].msgstr)

    # a fresh clone of a catalogue written before digests: nothing can show an entry is the machine's
    legacy = path.read_text(encoding="utf-8")
    legacy = re.sub(r"(?m)^# machine translation, awaiting review \(msgstr sha256 [0-9a-f]{8}\)\n", "", legacy)
    path.write_text(legacy, encoding="utf-8")
    shutil.rmtree(project / ".pipeline")
    models.write_text(models.read_text().replace("beam_size: 1", "beam_size: 2", 1), encoding="utf-8")
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    assert [(x.msgid, x.msgstr) for x in polib.pofile(str(path))] == [(x.msgid, x.msgstr) for x in polib.pofile(legacy)]


def test_a_catalogue_with_a_duplicate_entry_is_refused_and_left_alone(project, pipeline):
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    path = po_path(project)
    po = polib.pofile(str(path))
    first = po[0]
    copy = polib.POEntry(msgid=first.msgid, msgstr="A second reviewed text")
    po.append(copy)
    po.save()
    before = path.read_bytes()
    lines = before.decode().splitlines()
    at = next(i for i, text in enumerate(lines) if text.startswith('msgstr "A second reviewed text"'))
    line = max(i for i in range(at) if lines[i].startswith("msgid ")) + 1  # where msgfmt points too
    out = pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project, code=2)
    assert f"messages.po:{line}: duplicate message definition" in out.err and "Traceback" not in out.err
    assert path.read_bytes() == before


def test_a_reviewed_plural_entry_whose_source_went_becomes_obsolete_with_its_forms(project, pipeline):
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    path = po_path(project)
    po = polib.pofile(str(path))
    po.append(polib.POEntry(msgid="એક ફાઇલ", msgid_plural="%d ફાઇલો", msgstr_plural={0: "one file", 1: "%d files"}))
    po.save()
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    plural = by_id(path)["એક ફાઇલ"]
    assert plural.obsolete and plural.msgstr_plural == {0: "one file", 1: "%d files"}
    shutil.rmtree(project / ".pipeline")
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    assert by_id(path)["એક ફાઇલ"].msgstr_plural == {0: "one file", 1: "%d files"}


class Looping:
    """A stand-in model for the path test: a fixed raw output that masks a span, loops, and carries digits."""

    model_id = "looping@1"

    def translate(self, texts, src, tgt, progress=None):
        return ["Read [1] about 300000 trees trees trees trees trees" for _ in texts]


def test_evaluate_scores_the_text_run_ships(tmp_path):
    """evaluate used to keep the [1] markers and the loop; now it restores what `run` restores."""
    msgid = "વધુ માહિતી https://example.org/a?b=1 પર 3,00,000 વૃક્ષો વિશે વાંચો."
    finished = translate.finish(msgid, Looping().translate([msgid], "gu", "en")[0], "en", "decimal", "looping@1")
    assert finished.text == "Read https://example.org/a?b=1 about 300,000 trees"
    assert [f.check for f in finished.findings][0] == "loop"
    assert evaluate.translate_lines(Looping(), [msgid], "en", "decimal") == [finished.text]


def test_evaluate_output_equals_what_run_writes_into_the_catalogue(project, pipeline):
    line = "વધુ માહિતી https://example.org/guide પર છે. તેમાં 3,00,000 વૃક્ષો વાવવામાં આવ્યા."
    (project / "articles" / "a.gu.txt").write_text(line + "\n", encoding="utf-8")
    (project / "ref.txt").write_text("More at the guide. 300,000 trees were planted there.\n", encoding="utf-8")
    for locale in ("en", "zh_Hans"):
        pipeline("run", "articles", "--to", locale, "--models", "models.yaml", cwd=project)
        pipeline(
            "evaluate",
            "--src",
            "articles/a.gu.txt",
            "--ref",
            "ref.txt",
            "--to",
            locale,
            "--models",
            "models.yaml",
            "--output",
            f"out-{locale}.txt",
            cwd=project,
        )
        shipped = [e.msgstr for e in polib.pofile(str(po_path(project, locale)))]
        sep = "" if locale.startswith("zh") else " "
        assert len(shipped) == 2
        assert (project / f"out-{locale}.txt").read_text(encoding="utf-8") == sep.join(shipped) + "\n"
