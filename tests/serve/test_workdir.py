"""The server's work directory is a cache: a damaged memory is set aside and the server starts, and
a work directory removed while it runs is made again where `pipeline run` finds it."""

from __future__ import annotations

import shutil

from conftest import flores, models_file, one_sentence_lines


def translate(server, q) -> list[str]:
    response = server.post({"q": q, "source": "gu", "target": "en"})
    assert response.status_code == 200, response.text
    return response.json()["translatedText"]


def test_a_damaged_memory_is_set_aside_and_the_server_answers(tmp_path, tiny_models, start_server):
    models = models_file(tiny_models, tmp_path, "transformers")
    memory = tmp_path / ".pipeline" / "memory.sqlite"
    memory.parent.mkdir()
    memory.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)  # a torn copy: the header, then nonsense
    server = start_server(["--models", models], tmp_path)
    assert translate(server, flores(0, 2)) and server.stats()["modelSentences"] == 2
    assert server.log.count("translation memory is damaged") == 1 and "Traceback" not in server.log
    (aside,) = memory.parent.glob("memory.sqlite.damaged-*")
    assert aside.name in server.log
    assert server.stop() == 0


def test_a_work_directory_removed_while_serving_is_shared_again(tmp_path, tiny_models, start_server, pipeline):
    """The server goes on writing where `pipeline run` reads, and reads what the run wrote."""
    models = models_file(tiny_models, tmp_path, "transformers")
    served_first, run_first = one_sentence_lines(flores(200, 40))[:2], one_sentence_lines(flores(240, 40))[:2]
    server = start_server(["--models", models], tmp_path)
    translate(server, flores(0, 1))
    shutil.rmtree(tmp_path / ".pipeline")
    answers = translate(server, served_first)

    article = tmp_path / "articles" / "news.txt"
    article.parent.mkdir()
    article.write_text("\n\n".join(served_first + run_first) + "\n", encoding="utf-8")
    ran = pipeline("run", "articles", "--to", "en", "--models", models, cwd=tmp_path)
    assert "en: 2 translated by" in ran.stdout and "2 reused from memory" in ran.stdout  # the server's two

    shutil.rmtree(tmp_path / ".pipeline")
    (tmp_path / "locales").rename(tmp_path / "first-locales")
    ran = pipeline("run", "articles", "--to", "en", "--models", models, cwd=tmp_path)
    assert "en: 4 translated by" in ran.stdout
    before = server.stats()["modelSentences"]
    assert translate(server, run_first)
    assert server.stats()["modelSentences"] == before  # the run's, read from the memory it made
    assert answers == translate(server, served_first)
    assert server.stop() == 0 and "Traceback" not in server.log
