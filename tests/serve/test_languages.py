"""Language codes: what `/languages` lists for a models file, and what Weblate then asks for.

Weblate (weblate/machinery/base.py) reads only the codes of `/languages`; for a component in
language L it tries L mapped through the backend's `language_map`, then L cut at each `_`
(zh_Hant → zh), and takes the first pair whose two codes are both listed. Whatever its map, a
Chinese component must get its own script or nothing."""

from __future__ import annotations

import pytest

from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.serve.languages import (
    Target,
    client_locale,
    configuration_check,
    languages_listing,
    routed_targets,
    served_pair,
    served_target,
)

# LibreTranslate's map in Weblate releases before and after it learnt LibreTranslate's zh-Hans/zh-Hant.
WEBLATE_MAPS = [{"zh_Hans": "zh"}, {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant"}, {}]


def weblate_pair(codes: set[str], source: str, target: str, language_map: dict) -> tuple[str, str] | None:
    """The (source, target) codes Weblate would send, or None: "Not supported"."""

    def possibilities(code):
        yield language_map.get(code, code)
        code = code.replace("-", "_")
        while "_" in code:
            code = code.rsplit("_", 1)[0]
            yield language_map.get(code, code)

    for s in possibilities(source):
        for t in possibilities(target):
            if s in codes and t in codes and s != t:
                return s, t
    return None


def targets_of(tiny_models, name):
    return routed_targets(load_config(tiny_models.parent / name))[0]


@pytest.mark.parametrize("language_map", WEBLATE_MAPS)
def test_weblate_never_gets_one_chinese_script_for_the_other(tiny_models, language_map):
    for name, scripts in (("models.yaml", {"zh_Hans", "zh_Hant"}), ("models-m2m100.yaml", {"zh_Hans"})):
        targets = targets_of(tiny_models, name)
        codes = {entry["code"] for entry in languages_listing(targets)}
        for component in ("zh_Hans", "zh_Hant"):
            pair = weblate_pair(codes, "gu", component, language_map)
            if pair is None:
                continue
            assert served_target(pair[1], targets)[1].tag == component, (name, language_map, pair)
        if language_map.get("zh_Hant") == "zh-Hant":  # a Weblate that knows LibreTranslate's codes
            found = {c for c in ("zh_Hans", "zh_Hant") if weblate_pair(codes, "gu", c, language_map)}
            assert found == scripts, (name, found)
        assert weblate_pair(codes, "gu", "en_GB", language_map) == ("gu", "en")
        assert weblate_pair(codes, "gu", "de", language_map) is None


def test_listing_follows_the_models_file(tiny_models):
    assert [t.code for t in targets_of(tiny_models, "models.yaml")] == ["en", "zh-Hans", "zh-Hant"]
    assert [t.code for t in targets_of(tiny_models, "models-m2m100.yaml")] == ["en", "zh-Hans"]
    assert [t.code for t in targets_of(tiny_models, "models-marian.yaml")] == ["en"]
    targets, left_out = routed_targets(load_config(tiny_models.parent / "models-m2m100.yaml"))
    assert "cannot write Traditional Chinese" in left_out["zh_Hant"]


@pytest.mark.parametrize(
    "code, locale",
    [
        ("en", "en"),
        ("EN", "en"),
        ("en-IN", "en_IN"),
        ("zh", "zh"),
        ("zh-Hans", "zh_Hans"),
        ("zh_hant", "zh_Hant"),
        ("zt", "zh_Hant"),
        ("zh-TW", "zh_Hant_TW"),
    ],
)
def test_client_codes_become_locales(code, locale):
    assert client_locale(code) == locale


def test_an_unrouted_or_unknown_code_names_what_is_routed(tiny_models):
    targets = targets_of(tiny_models, "models-m2m100.yaml")
    for code, message in (
        ("fr", "no model is routed for gu → fr"),
        ("zh-Hant", "gu → zh_Hant"),
        ("q" * 500, "is not supported"),
        (None, "is not supported"),
    ):
        with pytest.raises(PipelineError, match="routed: en, zh-Hans") as caught:
            served_target(code, targets)
        assert message in str(caught.value) and len(str(caught.value)) < 200


def test_only_weblates_own_check_is_answered_from_another_source(tiny_models):
    """en → de "test" is Weblate's check of a new service; with de not listed, Weblate sends it for
    nothing else. With a German route it would be an ordinary request, and is not excepted."""
    targets = targets_of(tiny_models, "models.yaml")
    assert configuration_check("en", "de", ["test"], targets) and configuration_check(" EN", "DE", ["test"], targets)
    for source, target, texts in (
        ("en", "de", ["Test"]),
        ("en", "de", ["test", "test"]),
        ("en", "en", ["test"]),
        ("en", "zh-Hans", ["test"]),
        ("fr", "de", ["test"]),
    ):
        assert not configuration_check(source, target, texts, targets)
    assert not configuration_check("en", "de", ["test"], targets + [Target("de", "de", "German")])
    for source in ("en", "zh-Hans", "de", "xx"):
        with pytest.raises(
            PipelineError,
            match=f"^{source} → zh-Hans is not supported: this service translates "
            "from gu only \\(into en, zh-Hans, zh-Hant\\)",
        ):
            served_pair(source, "zh-Hans", targets)
    assert served_pair("auto", "zh-Hans", targets)[0] == "zh_Hans"
