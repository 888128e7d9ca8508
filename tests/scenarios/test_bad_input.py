"""Every kind of bad input through the `pipeline` command: a message naming the file (and line or
byte offset), exit status 2, no traceback, and nothing the reviewers or earlier runs made is lost."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = "ગુજરાત સરકારે નવી યોજના શરૂ કરી છે.\n"
REVIEWED_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: en\\n"

msgid "ગુજરાત સરકારે નવી યોજના શરૂ કરી છે."
msgstr "The Gujarat government has started a new scheme."
"""


def everything(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "lock" not in p.name
    }


@pytest.fixture
def project(tmp_path, new_project):
    """A project with one good article and a reviewer's catalogue: what a bad input must not cost."""
    new_project({"good.txt": GOOD}, beam_size=1)
    po = tmp_path / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(REVIEWED_PO, encoding="utf-8")
    return tmp_path


TEN_MB_LINE = ("શબ્દ " * 900_000).encode()  # 10.8 MB, no sentence end

BAD_SOURCES = {
    "invalid UTF-8": (
        b"\xe0\xaa\x97\xe0\xaa\x81\n" + "સારું ".encode() + b"\xff\xfe oops\n",
        r"bad.txt:2: not valid UTF-8 at byte offset 23",
    ),
    "UTF-16 with a BOM": ("ગુજરાત\n".encode("utf-16"), "bad.txt: file is UTF-16; save it as UTF-8"),
    "UTF-16 without a BOM": ("ગુજરાત સરકાર 2024 માં\n".encode("utf-16-le"), "bad.txt: file looks like UTF-16 without"),
    "empty file": (b"", "bad.txt: file is empty"),
    "only blank lines": (b"  \n\r\n\t\n", "bad.txt: file is empty"),
    "binary file": (gzip.compress(GOOD.encode(), mtime=0), "bad.txt:1: file looks binary (NUL byte at byte offset 3)"),
    "NUL deep inside text": (
        GOOD.encode() * 200 + b"x\x00y\n",
        "bad.txt:201: file looks binary (NUL byte at byte offset",
    ),
    "a 10 MB line without punctuation": (
        TEN_MB_LINE,
        "bad.txt:1: a sentence of 4,499,999 characters without a sentence end",
    ),
}


@pytest.mark.parametrize("case", list(BAD_SOURCES))
def test_bad_source_file_is_a_clear_error_and_nothing_is_lost(project, case, pipeline):
    data, message = BAD_SOURCES[case]
    (project / "articles" / "bad.txt").write_bytes(data)
    before = everything(project)
    started = time.monotonic()
    proc = pipeline(
        "run", "articles", "--to", "en", "--models", "models.yaml", cwd=project, separate=True, code=None, timeout=120
    )
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert time.monotonic() - started < 100  # the 10 MB line is refused, not sent to the model for hours
    assert everything(project) == before


@pytest.mark.parametrize(
    "args,message",
    [
        (["--models", "typo.yaml"], "typo.yaml:4: unknown key 'famly' in models.nllb-tiny"),
        (["--to", "xx_Klingon"], "unknown locale 'xx_Klingon'"),
        (["--to", "../x"], "unknown locale '../x'"),
        (["--domain", "../evil"], "gettext domain '../evil' is not a plain name"),
        (["nowhere.txt"], "nowhere.txt: source path does not exist"),
    ],
)
def test_bad_arguments_and_models_file_are_clear_errors(project, args, message, pipeline):
    (project / "typo.yaml").write_text(
        (project / "models.yaml").read_text(encoding="utf-8").replace("    family: nllb", "    famly: nllb", 1),
        encoding="utf-8",
    )
    before = everything(project)
    options = {"--to": "en", "--models": "models.yaml"}
    sources = ["articles"]
    for i in range(0, len(args), 2):
        if args[i].startswith("--"):
            options[args[i]] = args[i + 1]
    if not args[0].startswith("--"):
        sources = args
    flat = [x for kv in options.items() for x in kv]
    proc = pipeline("run", *sources, *flat, cwd=project, separate=True, code=None, timeout=120)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
    assert everything(project) == before and not (project.parent / "evil.pot").exists()


def test_broken_po_is_named_with_its_line_and_left_untouched(project, pipeline):
    po = project / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    po.write_text(REVIEWED_PO.replace('new scheme."', "new scheme."), encoding="utf-8")  # quote not closed
    before = po.read_bytes()
    proc = pipeline(
        "run", "articles", "--to", "en", "--models", "models.yaml", cwd=project, separate=True, code=None, timeout=120
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "messages.po:7: syntax error in catalogue" in proc.stderr and "left untouched" in proc.stderr
    assert po.read_bytes() == before


def test_crlf_po_from_a_reviewer_is_accepted_and_the_review_kept(project, pipeline):
    po = project / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    po.write_bytes(REVIEWED_PO.encode().replace(b"\n", b"\r\n"))
    proc = pipeline(
        "run", "articles", "--to", "en", "--models", "models.yaml", cwd=project, separate=True, code=None, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "loading" not in proc.stderr  # the only sentence is reviewed: no model needed
    (entry,) = polib.pofile(str(po))
    assert entry.msgstr == "The Gujarat government has started a new scheme." and not entry.fuzzy
    assert b"\r\n" not in po.read_bytes()


def test_utf8_bom_is_accepted_and_dropped(project, pipeline):
    (project / "articles" / "good.txt").write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    proc = pipeline("segment", "articles", "--jsonl", cwd=project, separate=True, code=None, timeout=120)
    assert proc.returncode == 0, proc.stderr
    (row,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert row["text"] == GOOD.strip() and row["start"] == 0


def test_gujarati_english_and_devanagari_mixed_are_translated(project, pipeline):
    mixed = (
        "ગુજરાત સરકારે Smart City Mission હેઠળ ૩ લાખ ઘર બનાવ્યાં. "
        "भारत सरकार ने नई योजना शुरू की। The scheme starts in 2024.\n"
        'મુખ્યમંત્રીએ કહ્યું, "यह बहुत अच्छा है" અને AI-based system ની વાત કરી.\n'
    )
    (project / "articles" / "good.txt").write_text(mixed, encoding="utf-8")
    proc = pipeline(
        "run", "articles", "--to", "en", "--models", "models.yaml", cwd=project, separate=True, code=None, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    pot = [e.msgid for e in polib.pofile(str(project / "locales" / "messages.pot"))]
    assert pot == [
        "ગુજરાત સરકારે Smart City Mission હેઠળ ૩ લાખ ઘર બનાવ્યાં.",
        "भारत सरकार ने नई योजना शुरू की।",
        "The scheme starts in 2024.",
        'મુખ્યમંત્રીએ કહ્યું, "यह बहुत अच्छा है" અને AI-based system ની વાત કરી.',
    ]
    po = polib.pofile(str(project / "locales" / "en" / "LC_MESSAGES" / "messages.po"))
    assert all(e.msgstr and e.fuzzy for e in po if not e.obsolete)
    assert any(e.obsolete and e.msgstr.startswith("The Gujarat government") for e in po)  # the review is kept
