"""What the command refuses, it refuses once: a value no command can use before any file is
looked at, and a source the segment stage refuses whether its sentences are stored or listed."""

import pytest

LONG_LINE = "શબ્દ " * 2_500  # 12,500 characters, no sentence end


def test_segment_jsonl_refuses_a_sentence_too_long_as_segment_does(tmp_path, pipeline):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "bad.txt").write_text("સારું છે.\n" + LONG_LINE + "\n", encoding="utf-8")
    listed = pipeline("segment", "articles", "--jsonl", cwd=tmp_path, code=2)
    assert listed.out == ""
    assert "bad.txt:2: a sentence of 12,499 characters without a sentence end" in listed.err
    stored = pipeline("segment", "articles", cwd=tmp_path, code=2)
    assert listed.err == stored.err


REFUSED = {
    "--worst 0, before the catalogue folder": (
        ["status", "--worst", "0", "--locales", "a-file"],
        "--worst takes a positive number of entries",
    ),
    "evaluate --to with two locales": (
        ["evaluate", "--src", "missing.txt", "--ref", "missing.txt", "--to", "en,zh_Hans"],
        "--to takes one locale for evaluate (the references' language), not 'en,zh_Hans'",
    ),
    "evaluate --limit 0": (
        ["evaluate", "--src", "missing.txt", "--ref", "missing.txt", "--to", "en", "--limit", "0"],
        "--limit takes a positive number of lines, not 0",
    ),
    "evaluate --output with two models files, before the sources": (
        ["evaluate", "--src", "missing.txt", "--ref", "missing.txt", "--to", "en", "--output", "out.txt"]
        + ["--models", "a.yaml", "--models", "b.yaml"],
        "--output takes one --models file (each set-up would write the same file)",
    ),
    "--project with a line break, before the models file": (
        ["catalog", "--to", "en", "--models", "missing.yaml", "--project", "a\nb"],
        "--project 'a\\nb' holds a control character",
    ),
}


@pytest.mark.parametrize("args, said", REFUSED.values(), ids=REFUSED.keys())
def test_a_value_no_command_can_use_is_refused_before_any_file(tmp_path, pipeline, args, said):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    ran = pipeline(*args, cwd=tmp_path, code=2)
    assert ran.err.startswith(f"pipeline: error: {said}") and ran.err.count("\n") == 1
    assert ran.out == "" and sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
