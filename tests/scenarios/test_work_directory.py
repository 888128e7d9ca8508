"""The work directory is a cache: a damaged translation memory costs translation time, never a
failed command. (The memory alone: jobs/test_memory.py; shared with a server: serve/test_workdir.py.)"""

from __future__ import annotations

import polib
import pytest

pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

SENTENCES = ["ગુજરાત સરકારે નવી યોજના શરૂ કરી છે.", "આ એક વાક્ય છે."]
NEW = "હવામાન વિભાગે આવતીકાલે ભારે વરસાદની આગાહી કરી છે."


@pytest.fixture
def project(new_project):
    return new_project({"news.txt": "\n".join(SENTENCES) + "\n"}, beam_size=1)


@pytest.mark.parametrize("damage", ["truncated", "not SQLite"])
def test_a_run_sets_a_damaged_memory_aside_and_goes_on(project, pipeline, damage):
    pipeline("run", "articles", "--to", "en", cwd=project)
    po = project / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    before = {e.msgid: e.msgstr for e in polib.pofile(str(po))}
    memory = project / ".pipeline" / "memory.sqlite"
    data = memory.read_bytes()
    damaged = data[: len(data) // 2] if damage == "truncated" else b"PK\x03\x04" + bytes(5000)
    memory.write_bytes(damaged)
    (project / "articles" / "news.txt").write_text("\n".join(SENTENCES + [NEW]) + "\n", encoding="utf-8")

    ran = pipeline("run", "articles", "--to", "en", cwd=project, separate=True)
    assert "Traceback" not in ran.err and ran.err.count("translation memory is damaged") == 1
    (aside,) = (project / ".pipeline").glob("memory.sqlite.damaged-*")
    assert aside.name in ran.err and aside.read_bytes() == damaged
    assert "en: 1 translated by" in ran.out
    after = {e.msgid: e.msgstr for e in polib.pofile(str(po))}
    assert after[NEW] and {k: after[k] for k in before} == before

    (project / "articles" / "news.txt").write_text(NEW + "\n", encoding="utf-8")
    again = pipeline("run", "articles", "--to", "en", cwd=project, separate=True)
    assert "damaged" not in again.err and "en: 0 translated by" in again.out
