"""Aliases, merge keys and complex keys in `models.yaml`: a hostile file is refused quickly and in
bounded memory, with its line; a base merged with `<<: *base` works as YAML defines it."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from pipeline.config import load_config
from pipeline.errors import PipelineError

MODEL = """\
  tiny:
    family: nllb
    source: facebook/nllb-200-distilled-600M
    revision: abc123
"""
PAIRS = "pairs:\n  gu-en: tiny\n"


def nested_aliases(depth: int, indent: str) -> list[str]:
    """Nine aliases of nine, `depth` times: 9**depth values from a dozen lines."""
    lines = [f"{indent}- &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, depth + 1):
        lines.append(f"{indent}- &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return lines


def write(tmp_path, text: str):
    path = tmp_path / "models.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refused_quickly(path) -> str:
    """The error message, checking it came within a second and 20 MB."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(PipelineError) as caught:
            load_config(path)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.monotonic() - started < 1.0
    assert peak < 20 * 2**20, f"{peak / 2**20:.0f} MB"
    return str(caught.value)


def test_an_alias_bomb_in_a_complex_key_is_refused_before_it_is_expanded(tmp_path):
    # A billion values once expanded; the error message once repr'd every one of them.
    text = "models:\n  ? " + "\n".join(nested_aliases(9, "    "))[4:] + "\n  : 1\n" + PAIRS
    message = refused_quickly(write(tmp_path, text))
    assert "models.yaml:" in message and "expand it to more than 100,000 values" in message
    assert len(message) < 300


def test_an_alias_bomb_anywhere_is_refused_with_its_line(tmp_path):
    text = "models:\n" + MODEL + "    parameters:\n" + "\n".join(nested_aliases(9, "      ")) + "\n" + PAIRS
    message = refused_quickly(write(tmp_path, text))
    assert "models.yaml:" in message and "expand it to more than 100,000 values" in message


def test_a_complex_key_is_refused_without_printing_it(tmp_path):
    text = "models:\n" + MODEL + "  ? [a, b]\n  : 1\n" + PAIRS
    message = refused_quickly(write(tmp_path, text))
    assert message.endswith("models.yaml:6: a key in models is a list; keys are plain names")


def test_a_value_holding_an_alias_to_itself_is_refused(tmp_path):
    text = "models:\n" + MODEL + "    parameters: &loop [*loop]\n" + PAIRS
    message = refused_quickly(write(tmp_path, text))
    assert "models.yaml:6: this value holds an alias to itself" in message


def test_a_merge_that_merges_itself_is_refused(tmp_path):
    text = "models:\n  tiny: &loop\n    <<: *loop\n    family: nllb\n    source: x/y\n" + PAIRS
    message = refused_quickly(write(tmp_path, text))
    assert "models.yaml:2: this value holds an alias to itself" in message


def test_merge_keys_give_model_entries_a_shared_base(tmp_path):
    text = """\
x-base: &base
  family: nllb
  revision: abc123
  licence: cc-by-nc-4.0
  generation: {beam_size: 2}
x-fast: &fast
  generation: {beam_size: 1}
  backend: transformers
models:
  big:
    <<: *base
    source: facebook/nllb-200-3.3B
  small:
    <<: [*fast, *base]
    source: facebook/nllb-200-distilled-600M
    revision: def456
pairs:
  gu-en: big
  gu-zh: small
"""
    config = load_config(write(tmp_path, text))
    big, small = config.models["big"], config.models["small"]
    assert (big.family, big.source, big.revision, big.licence) == (
        "nllb",
        "facebook/nllb-200-3.3B",
        "abc123",
        "CC-BY-NC-4.0",
    )
    assert big.generation.beam_size == 2 and big.backend == "auto"
    # the entry's own keys win over merged ones, and an earlier merged mapping over a later one
    assert small.revision == "def456" and small.generation.beam_size == 1 and small.backend == "transformers"


def test_a_merged_key_is_checked_with_the_line_of_the_base(tmp_path):
    text = "x-base: &base\n  family: nllb\n  famly: nllb\nmodels:\n  tiny:\n    <<: *base\n    source: x/y\n" + PAIRS
    with pytest.raises(PipelineError, match=r"models.yaml:3: unknown key 'famly' in models.tiny"):
        load_config(write(tmp_path, text))


def test_a_merge_of_something_not_a_mapping_is_refused(tmp_path):
    text = "models:\n  tiny:\n    <<: [family, nllb]\n    source: x/y\n" + PAIRS
    with pytest.raises(
        PipelineError,
        match=r"models.yaml:3: the merge key << in models.tiny takes a mapping "
        r"\(<<: \*base\) or a list of them, not a single value",
    ):
        load_config(write(tmp_path, text))


def test_a_top_level_key_is_still_checked_unless_it_is_an_extension(tmp_path):
    with pytest.raises(PipelineError, match=r"models.yaml:1: unknown key 'base' in top level"):
        load_config(write(tmp_path, "base: {}\nmodels:\n" + MODEL + PAIRS))
    assert load_config(write(tmp_path, "x-anything: [1, 2]\nmodels:\n" + MODEL + PAIRS)).models["tiny"]


def test_the_cli_refuses_an_alias_bomb_with_exit_2_and_no_traceback(tmp_path, pipeline):
    text = "models:\n  ? " + "\n".join(nested_aliases(9, "    "))[4:] + "\n  : 1\n" + PAIRS
    write(tmp_path, text)
    (tmp_path / "a.txt").write_text("ગુજરાત સરકારે નવી યોજના શરૂ કરી છે.\n", encoding="utf-8")
    started = time.monotonic()
    ran = pipeline("run", "a.txt", "--to", "en", cwd=tmp_path, code=2)
    assert time.monotonic() - started < 5
    assert "models.yaml:" in ran.err and "more than 100,000 values" in ran.err and "Traceback" not in ran.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "models.yaml"]
