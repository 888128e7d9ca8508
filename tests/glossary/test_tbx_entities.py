"""Entities in a TBX glossary, through the `pipeline` command: one the file declares is its text
(as every XML reader gives it), one from outside the file (SYSTEM) or built of other entities is
refused naming file and line; the reader never fetches anything nor keeps `&name;` as a term."""

from __future__ import annotations

from pathlib import Path

import pytest

ENTRY = """<termEntry id="{n}">
  <langSet xml:lang="gu"><tig><term>{gu}</term></tig></langSet>
  <langSet xml:lang="en"><tig><term>{en}</term></tig></langSet>
</termEntry>"""


def tbx(declarations: str, *entries: tuple[str, str]) -> str:
    body = "\n".join(ENTRY.format(n=n, gu=gu, en=en) for n, (gu, en) in enumerate(entries, 1))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE martif [\n{declarations}\n]>\n'
        f'<martif type="TBX" xml:lang="en"><text><body>\n{body}\n</body></text></martif>\n'
    )


def reviewed_po(folder: Path) -> Path:
    path = folder / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
        'msgid "ગુજરાત સરકાર યોજના શરૂ કરે છે."\nmsgstr "The state starts a plan."\n',
        encoding="utf-8",
    )
    return path


def test_an_entity_the_glossary_declares_is_its_text(tmp_path, pipeline):
    (tmp_path / "g.tbx").write_text(
        tbx('<!ENTITY gov "સરકાર">\n<!ENTITY co "Government">', ("ગુજરાત &gov;", "Gujarat &co; &amp; Co &#169;")),
        encoding="utf-8",
    )
    proc = pipeline("check", reviewed_po(tmp_path), "--glossary", "g.tbx", cwd=tmp_path, code=1)
    assert "glossary term ગુજરાત સરકાર is 'Gujarat Government & Co ©' in en" in proc.stdout, proc.stdout


@pytest.mark.parametrize(
    "declaration,use,message",
    [
        ('<!ENTITY ext SYSTEM "file:///etc/hostname">', "&ext;", "entity &ext; comes from outside the file"),
        ('<!ENTITY a "x">\n<!ENTITY b "&a;&a;">', "&b;", "entity &b; is made of other entities or markup"),
    ],
)
def test_an_entity_from_outside_or_of_entities_is_refused_with_its_line(tmp_path, declaration, use, message, pipeline):
    (tmp_path / "g.tbx").write_text(
        tbx(declaration, ("યોજના", "scheme"), ("ગુજરાત", f"Gujarat {use}")), encoding="utf-8"
    )
    line = (tmp_path / "g.tbx").read_text(encoding="utf-8").splitlines().index(
        f'  <langSet xml:lang="en"><tig><term>Gujarat {use}</term></tig></langSet>'
    ) + 1
    proc = pipeline("check", reviewed_po(tmp_path), "--glossary", "g.tbx", cwd=tmp_path, code=2)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert f"g.tbx:{line}: {message}" in proc.stderr, proc.stderr
