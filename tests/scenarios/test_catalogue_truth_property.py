"""Property: deleting `.pipeline/` before any run changes nothing, and no text a person wrote is lost.

Hypothesis drives random sequences of runs and reviewer actions (approve, edit and leave fuzzy,
edit a source, delete a source, add one, purge, change generation settings) on two copies of one
project: A keeps its work directory, B loses it before every run, as a fresh clone in CI would.
After every run both hold byte-identical catalogues, and every text a person wrote is still in A's.

The model is the tiny NLLB, given one sentence at a time so its output for a sentence does not
depend on which other sentences share its batch (B re-translates everything A takes from memory).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline import jobs
from pipeline.catalog import pofile
from pipeline.config import load_config

ROOT = Path(__file__).resolve().parents[2]
POOL = (ROOT / "tests" / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()[40:52]
POOL = [" ".join(s.split()[:8]).rstrip(".,") + "." for s in POOL]  # short: the model spends its time per token
_TRANSLATORS: dict[str, object] = {}


class OneAtATime:
    def __init__(self, translator):
        self.translator = translator
        self.model_id = translator.model_id

    def translate(self, texts, src, tgt, progress=None):
        return [self.translator.translate([t], src, tgt)[0] for t in texts]


def factory(spec):
    key = spec.settings_key()
    if key not in _TRANSLATORS:
        _TRANSLATORS[key] = OneAtATime(jobs.default_factory(spec))
    return _TRANSLATORS[key]


class Project:
    def __init__(self, root: Path, models_text: str):
        self.root = root
        (root / "articles").mkdir(parents=True)
        self.models_text = models_text
        self.paths = jobs.Paths(root / ".pipeline", root / "locales", "messages")

    def write(self, sentences: list[str]) -> None:
        (self.root / "articles" / "a.txt").write_text("".join(s + "\n" for s in sentences), encoding="utf-8")

    def run(self, beam: int, purge: bool) -> None:
        models = self.root / "models.yaml"
        models.write_text(self.models_text.replace("beam_size: 2", f"beam_size: {beam}"), encoding="utf-8")
        jobs.run_all(
            [self.root / "articles"],
            ["en"],
            load_config(models),
            self.paths,
            factory,
            options=jobs.CatalogOptions(purge_obsolete=purge),
        )

    def po_path(self) -> Path:
        return self.paths.po("en")

    def snapshot(self) -> dict[str, bytes]:
        return {
            str(p.relative_to(self.root)): p.read_bytes()
            for p in sorted(self.paths.locales_dir.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")
        }


def edit(sentence: str) -> str:
    words = sentence.split()
    return " ".join(words[:2] + ["નવું"] + words[2:])


ACTION = st.one_of(
    st.tuples(
        st.sampled_from(["approve", "edit-fuzzy", "edit-source", "delete-source", "add-source"]), st.integers(0, 50)
    ),
    st.tuples(st.sampled_from(["purge", "settings"]), st.just(0)),
)


@pytest.fixture(scope="module")
def models_text(models_file) -> str:
    return models_file.text()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(actions=st.lists(ACTION, min_size=1, max_size=6))
@example(actions=[("edit-fuzzy", 1)])  # the report: an edit left fuzzy, then a fresh clone
@example(actions=[("edit-fuzzy", 0), ("settings", 0)])  # the model changes: a person's fuzzy text stays
@example(actions=[("approve", 2), ("edit-source", 2), ("delete-source", 0), ("purge", 0)])
def test_without_the_work_directory_every_run_gives_the_same_catalogues(models_text, monkeypatch, actions):
    monkeypatch.setattr(pofile, "now_stamp", lambda: "2026-01-01 00:00+0000")  # header dates are content-driven
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Project(Path(tmp) / "a", models_text), Project(Path(tmp) / "b", models_text)
        sentences, unused, beam = POOL[:3], POOL[3:], 2
        person: set[str] = set()  # every text a person wrote, still expected in the catalogue

        def run_both(purge=False):
            a.write(sentences)
            b.write(sentences)
            a.run(beam, purge)
            shutil.rmtree(b.paths.workdir, ignore_errors=True)
            b.run(beam, purge)
            assert a.snapshot() == b.snapshot()
            texts = {e.msgstr for e in polib.pofile(str(a.po_path()))}
            if purge:
                person.intersection_update(texts)  # purged means forgotten: only obsolete ones may go
            assert person <= texts, f"lost: {person - texts}"

        run_both()
        for step, (action, n) in enumerate(actions):
            purge = False
            if action in ("approve", "edit-fuzzy"):
                po = polib.pofile(str(a.po_path()))
                live = [e for e in po if not e.obsolete]
                target = live[n % len(live)]
                person.discard(target.msgstr)  # a person replacing their own text loses nothing
                target.msgstr = f"{action} {step}"
                if action == "approve":
                    target.flags = [f for f in target.flags if f != "fuzzy"]
                person.add(target.msgstr)
                po.save()
                shutil.copyfile(a.po_path(), b.po_path())
            elif action == "edit-source":
                k = n % len(sentences)
                sentences = sentences[:k] + [edit(sentences[k])] + sentences[k + 1 :]
            elif action == "delete-source" and len(sentences) > 1:
                sentences = sentences[: n % len(sentences)] + sentences[n % len(sentences) + 1 :]
            elif action == "add-source" and unused:
                sentences, unused = sentences + unused[:1], unused[1:]
            elif action == "purge":
                purge = True
            elif action == "settings":
                beam = 3 - beam
            run_both(purge)
