"""Hostile settings through the `pipeline` command: absurd numbers in models.yaml, a malformed
SOURCE_DATE_EPOCH, `evaluate` on empty files or with bad arguments. Each is exit status 2 with a
message naming the setting (and file and line), no traceback, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

SENTENCE = "ગુજરાત સરકારે નવી યોજના શરૂ કરી છે."


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file but the work directory's lock (an empty file the run may leave)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "lock"
    }


@pytest.fixture
def project(new_project, monkeypatch) -> Path:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # a test sets it where it means to
    return new_project({"a.txt": SENTENCE + "\n"}, beam_size=1)


def refused(proc, *words: str) -> None:
    """`proc` ran with `code=2`: the message names each of `words`, and no traceback."""
    assert "Traceback" not in proc.stderr and all(w in proc.stderr for w in words), proc.stderr


GENERATION = {
    "max_length_ratio: .nan": ("max_length_ratio: 1.0", "max_length_ratio: .nan", "must be a finite number"),
    "max_length_ratio: .inf": ("max_length_ratio: 1.0", "max_length_ratio: .inf", "must be a finite number"),
    "max_length_ratio: -.inf": ("max_length_ratio: 1.0", "max_length_ratio: -.inf", "must be a finite number"),
    "repetition_penalty: .NaN": ("max_length_ratio: 1.0", "repetition_penalty: .NaN", "must be a finite number"),
    "max_length_extra: 100000000": ("max_length_extra: 4", "max_length_extra: 100000000", "at most"),
    "beam_size: 10000": ("beam_size: 1", "beam_size: 10000", "at most"),
    "batch_tokens: 10**30": ("batch_tokens: 256", "batch_tokens: 1000000000000000000000000000000", "at most"),
    "max_length_ratio: 1.0e+300": ("max_length_ratio: 1.0", "max_length_ratio: 1.0e+300", "at most"),
}


@pytest.mark.parametrize("case", list(GENERATION))
def test_an_absurd_generation_setting_is_refused_at_load_with_key_and_line(project, case, pipeline):
    old, new, why = GENERATION[case]
    models = project / "models.yaml"
    text = models.read_text(encoding="utf-8")
    text = text.replace(old, new if new.split(":")[0] in old else f"{old}\n      {new}", 1)
    models.write_text(text, encoding="utf-8")
    line = text[: text.index(new)].count("\n") + 1
    before = snapshot(project)
    for command in (["run", "articles", "--to", "en"], ["models"]):
        proc = pipeline(*command, cwd=project, code=2)
        refused(proc, f"models.yaml:{line}: models.nllb-tiny.generation.{new.split(':')[0]}", why)
    assert snapshot(project) == before


@pytest.mark.parametrize(
    "value,why",
    [
        ("abc", "not a whole number of seconds"),
        ("١٧٠٠٠٠٠٠٠٠", "not a whole number of seconds"),  # digits, but not ASCII
        ("²", "not a whole number of seconds"),
        ("-5", "not a whole number of seconds"),
        ("99999999999999999999", "after the year 9999"),
        ("253402300800", "after the year 9999"),
    ],
)
def test_a_malformed_source_date_epoch_is_refused_before_any_work(project, value, why, pipeline, monkeypatch):
    before = snapshot(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    proc = pipeline("run", "articles", "--to", "en", cwd=project, code=2)
    refused(proc, "SOURCE_DATE_EPOCH", why)
    assert snapshot(project) == before


def test_source_date_epoch_fixes_the_header_dates(project, pipeline, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pipeline("run", "articles", "--to", "en", cwd=project)
    assert '"POT-Creation-Date: 2023-11-14 22:13+0000\\n"' in (project / "locales/messages.pot").read_text()


EVALUATE = {
    "empty files": (["--src", "empty.txt", "--ref", "empty.txt"], "empty.txt: no lines to evaluate"),
    "blank lines only": (["--src", "blank.txt", "--ref", "blank.txt"], "blank.txt: no lines to evaluate"),
    "a device": (["--src", "/dev/null", "--ref", "ref.txt"], "/dev/null: not a regular file"),
    "a folder": (["--src", "articles", "--ref", "ref.txt"], "articles: not a regular file"),
    "limit 0": (["--src", "src.txt", "--ref", "ref.txt", "--limit", "0"], "--limit takes a positive number"),
    "limit -1": (["--src", "src.txt", "--ref", "ref.txt", "--limit", "-1"], "--limit takes a positive number"),
    "two locales": (["--src", "src.txt", "--ref", "ref.txt", "--to", "en,zh"], "--to takes one locale"),
    "output a folder": (
        ["--src", "src.txt", "--ref", "ref.txt", "--output", "articles"],
        "articles: --output must name a file",
    ),
}


@pytest.mark.parametrize("case", list(EVALUATE))
def test_evaluate_with_nothing_to_score_or_bad_arguments_is_a_clear_error(project, case, pipeline):
    (project / "empty.txt").write_bytes(b"")
    (project / "blank.txt").write_text("\n  \n", encoding="utf-8")
    (project / "src.txt").write_text(SENTENCE + "\n", encoding="utf-8")
    (project / "ref.txt").write_text("The Gujarat government has started a new scheme.\n", encoding="utf-8")
    args, message = EVALUATE[case]
    if "--to" not in args:
        args = args + ["--to", "en"]
    before = snapshot(project)
    proc = pipeline("evaluate", *args, cwd=project, code=2)
    refused(proc, message)
    assert "loading" not in proc.stderr  # refused before any model is loaded
    assert snapshot(project) == before
