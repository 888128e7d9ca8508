"""`pipeline serve` beside a project with one catalogue per document: the server reads the models
file, the glossary and the work directory's translation memory, never a catalogue, so whatever the
layout it answers each sentence with the text the run wrote into that sentence's catalogue."""

from __future__ import annotations

import polib
from conftest import flores, models_file, one_sentence_lines


def test_the_server_answers_what_the_run_wrote_into_each_documents_catalogue(
    tmp_path, tiny_models, start_server, pipeline
):
    models = models_file(tiny_models, tmp_path, "transformers")
    lines = one_sentence_lines(flores(100, 20))
    budget, cricket = lines[:2], lines[2:4]
    (tmp_path / "articles" / "politics").mkdir(parents=True)
    (tmp_path / "articles" / "politics" / "budget.txt").write_text("\n\n".join(budget) + "\n", encoding="utf-8")
    (tmp_path / "articles" / "cricket.txt").write_text("\n\n".join(cricket) + "\n", encoding="utf-8")
    pipeline("run", "articles", "--to", "en", "--models", models, "--catalogs", "per-document", cwd=tmp_path)
    catalogues = tmp_path / "locales" / "en" / "LC_MESSAGES"
    written = {
        e.msgid: e.msgstr
        for name in ("politics/budget.po", "cricket.po")
        for e in polib.pofile(str(catalogues / name))
        if e.msgid
    }
    assert sorted(written) == sorted(budget + cricket)

    server = start_server(["--models", models], tmp_path)
    response = server.post({"q": budget + cricket, "source": "gu", "target": "en"})
    assert response.status_code == 200, response.text
    assert response.json()["translatedText"] == [written[s] for s in budget + cricket]
    assert server.stats()["modelSentences"] == 0  # every one from the memory the run filled
    assert server.stop() == 0 and "Traceback" not in server.log
