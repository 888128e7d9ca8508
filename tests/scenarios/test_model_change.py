"""Changing the model a pair is routed to (as upgrading to a new default does): every entry a person
touched stays as they left it, the pipeline's own machine entries are translated again by the new
model, and going back to the old model reuses what it translated before (the translation memory is
keyed by the model)."""

from __future__ import annotations

from pathlib import Path

import polib

from pipeline.config import load_config

ROOT = Path(__file__).resolve().parents[2]
GU = (ROOT / "tests" / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
APPROVED, EDITED, MACHINE, OTHER = GU[30:34]
PERSONS_TEXT = "A reviewer's own wording."


def po_path(root: Path, locale: str) -> Path:
    return root / "locales" / locale / "LC_MESSAGES" / "messages.po"


def entries(root: Path, locale: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(po_path(root, locale)))}


def review(root: Path, locale: str) -> None:
    """What a reviewer does in an editor: approves one entry as it is and rewrites another,
    leaving it fuzzy ("needs editing")."""
    po = polib.pofile(str(po_path(root, locale)))
    for entry in po:
        if entry.msgid == APPROVED:
            entry.flags.remove("fuzzy")
        elif entry.msgid == EDITED:
            entry.msgstr = PERSONS_TEXT
    po.save()


def test_switching_the_model_keeps_what_people_touched_and_translates_the_rest_again(tmp_path, tiny_models, pipeline):
    nllb_file, madlad_file = tiny_models, tiny_models.parent / "models-madlad.yaml"
    nllb = load_config(nllb_file).models["nllb-tiny"].model_id
    madlad = load_config(madlad_file).models["madlad-tiny"].model_id
    (tmp_path / "news.txt").write_text(f"{APPROVED} {EDITED} {MACHINE} {OTHER}\n", encoding="utf-8")
    args = ("run", "news.txt", "--to", "en,zh_Hans", "--models")
    pipeline(*args, nllb_file, cwd=tmp_path)
    for locale in ("en", "zh_Hans"):
        review(tmp_path, locale)
    before = {locale: entries(tmp_path, locale) for locale in ("en", "zh_Hans")}

    # the default changes: the same pairs now go to another family
    proc = pipeline(*args, madlad_file, cwd=tmp_path)
    assert "NON-COMMERCIAL" not in proc.stdout
    assert f"en: 2 translated by {madlad}, 0 reused from memory, 1 reviewed kept, 1 edited kept" in proc.stdout
    # what a fresh project gets from the new model, sentence by sentence
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "news.txt").write_text((tmp_path / "news.txt").read_text(encoding="utf-8"), encoding="utf-8")
    pipeline(*args, madlad_file, cwd=fresh)
    for locale in ("en", "zh_Hans"):
        now, old, new = entries(tmp_path, locale), before[locale], entries(fresh, locale)
        # a person's entries: verbatim, approved or still awaiting review, never re-translated
        assert now[APPROVED].msgstr == old[APPROVED].msgstr and not now[APPROVED].fuzzy
        assert now[EDITED].msgstr == PERSONS_TEXT and now[EDITED].fuzzy
        assert f"machine translation: {madlad}" not in now[APPROVED].comment + now[EDITED].comment
        # the pipeline's own machine entries: the new model's text, as a fresh project has it
        for msgid in (MACHINE, OTHER):
            assert f"machine translation: {nllb}" in old[msgid].comment
            assert now[msgid].msgstr == new[msgid].msgstr != old[msgid].msgstr
            assert now[msgid].fuzzy and f"machine translation: {madlad}" in now[msgid].comment

    # going back to the old model: its earlier output comes from the memory, no model is loaded
    proc = pipeline(*args, nllb_file, cwd=tmp_path)
    assert "loading " not in proc.stderr
    for locale in ("en", "zh_Hans"):
        now, old = entries(tmp_path, locale), before[locale]
        assert {m: now[m].msgstr for m in old} == {m: old[m].msgstr for m in old}
        assert not now[APPROVED].fuzzy and now[EDITED].fuzzy
