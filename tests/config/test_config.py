import pytest

from pipeline.config import load_config, parse_locale
from pipeline.errors import PipelineError

GOOD = """\
models:
  nllb:
    family: nllb
    source: facebook/nllb-200-distilled-600M
    revision: abc123
    generation:
      beam_size: 2
pairs:
  gu-en: nllb
  gu-zh: nllb
locales:
  en_IN:
    number_style: indian
"""


def write(tmp_path, text):
    path = tmp_path / "models.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_routes_pairs_and_locale_defaults(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    spec = config.model_for("zh_Hans")
    assert spec.source == "facebook/nllb-200-distilled-600M" and spec.revision == "abc123"
    assert spec.generation.beam_size == 2
    assert spec.model_id == "facebook/nllb-200-distilled-600M@abc123"
    assert config.locale_options("zh_Hans").number_style == "compact"
    assert config.locale_options("en_IN").number_style == "indian"
    assert config.locale_options("en").number_style == "decimal"


@pytest.mark.parametrize(
    "old,new,message",
    [
        ("    family: nllb", "    famly: nllb", r"models.yaml:3: unknown key 'famly' in models.nllb"),
        (
            "      beam_size: 2",
            "      beam_size: two",
            r"models.yaml:7: models.nllb.generation.beam_size must be a int",
        ),
        ("  gu-zh: nllb", "  gu-zh: marian", r"models.yaml:10: pairs.gu-zh names model 'marian'"),
        ("    number_style: indian", "    number_style: roman", r"models.yaml:13: .*expected one of"),
        ("  en_IN:", "  xx_YY:", r"models.yaml:12: unknown locale 'xx_YY'"),
    ],
)
def test_errors_name_the_key_and_line(tmp_path, old, new, message):
    with pytest.raises(PipelineError, match=message):
        load_config(write(tmp_path, GOOD.replace(old, new)))


def test_unrouted_pair_and_unknown_locale(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    with pytest.raises(PipelineError, match="no model is routed for gu-fr"):
        config.model_for("fr")
    with pytest.raises(PipelineError, match="unknown locale 'klingon'"):
        parse_locale("klingon")


def test_trust_remote_code_is_refused_naming_its_line(tmp_path):
    """No model's own code from the hub ever runs: the key is gone, and saying so beats ignoring it."""
    text = GOOD.replace("    revision: abc123\n", "    revision: abc123\n    trust_remote_code: true\n")
    line = text.splitlines().index("    trust_remote_code: true") + 1
    with pytest.raises(PipelineError, match="trust_remote_code is not an option.*own code") as caught:
        load_config(write(tmp_path, text))
    assert caught.value.line == line


def test_a_local_model_folder_is_fingerprinted_once_per_loaded_config(tmp_path):
    """model_id is read for every message; a folder's identity is computed when first asked and
    then kept, and a fresh load sees a changed model."""
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text('{"d_model": 16}', encoding="utf-8")
    (tmp_path / "models.yaml").write_text(
        "models:\n  tiny:\n    family: nllb\n    source: ./model\npairs:\n  gu-en: tiny\n", encoding="utf-8"
    )
    spec = load_config(tmp_path / "models.yaml").model_for("en")
    first = spec.model_id
    (folder / "config.json").write_text('{"d_model": 32}', encoding="utf-8")
    assert spec.model_id == first
    assert load_config(tmp_path / "models.yaml").model_for("en").model_id != first


def test_indictrans2_decodes_with_beam_5_unless_the_entry_says_otherwise(tmp_path):
    """AI4Bharat's own inference runs IndicTrans2 at beam 5; the other families keep 4."""
    text = (
        "models:\n  it2:\n    family: indictrans2\n    source: ai4bharat/indictrans2-indic-en-dist-200M\n"
        "  nllb:\n    family: nllb\n    source: facebook/nllb-200-distilled-600M\n"
        "  it2-greedy:\n    family: indictrans2\n    source: ai4bharat/x\n    generation:\n      beam_size: 1\n"
        "pairs:\n  gu-en: it2\n"
    )
    models = load_config(write(tmp_path, text)).models
    assert (
        models["it2"].generation.beam_size,
        models["nllb"].generation.beam_size,
        models["it2-greedy"].generation.beam_size,
    ) == (5, 4, 1)
