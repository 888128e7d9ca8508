"""Language codes as LibreTranslate clients write them, and the targets this service routes.

LibreTranslate names languages with ISO 639-1 codes and the script where one language has
several: `zh-Hans` and `zh-Hant` in `/languages`, with `zh` accepted for Simplified and `zt` for
Traditional. A client code becomes a Babel locale (`en`, `en_IN`, `zh_Hans`), which decides both
the route (by its target tag, `zh_Hant`) and how numbers are written (`en_IN` groups 3,00,000),
exactly as `pipeline run --to LOCALE` would.

`/languages` lists only what the models file routes and the models can write: a Chinese route
is listed as `zh-Hans` and/or `zh-Hant`, never as a bare `zh` that a client falling back from
one script could take for the other (Weblate asks for `zh-Hant`, then `zh`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.config import Config
from pipeline.errors import PipelineError
from pipeline.layout import SOURCE_LANGUAGE, parse_locale, target_tag
from pipeline.mt.route import check_route
from pipeline.serve.limits import shown

# The scripts a language without one in models.yaml (`gu-zh`) may be asked for.
SCRIPTS = {"zh": ("Hans", "Hant")}
# LibreTranslate's own alias for Traditional Chinese (an argos-translate model code).
ALIASES = {"zt": "zh_Hant"}
# What Weblate sends to check a new service (validate_settings in weblate/machinery/base.py):
# "test" from en into de, needing a 200 to save the settings.
CONFIGURATION_CHECK = ("en", "de", ["test"])


@dataclass(frozen=True)
class Target:
    """One target this service routes: the code it is listed under and the tag a model writes."""

    code: str  # as listed in /languages: "en", "zh-Hans"
    tag: str  # target tag: "en", "zh_Hans"
    name: str  # in English: "Chinese (Simplified)"


def candidate_tags(config: Config) -> list[str]:
    """Every target tag a pair of `config` might serve, in the models file's order."""
    tags: list[str] = []
    for src, tgt in config.pairs:
        if src != SOURCE_LANGUAGE:
            continue
        parsed = parse_locale(tgt)
        if parsed.script is None and parsed.language in SCRIPTS:
            found = [f"{parsed.language}_{script}" for script in SCRIPTS[parsed.language]]
        else:
            found = [target_tag(tgt)]
        tags += [t for t in found if t not in tags]
    return tags


def routed_targets(config: Config, usable=lambda tag: None) -> tuple[list[Target], dict[str, str]]:
    """The targets `config` routes, and why each other candidate is left out (tag -> reason).

    `usable(tag)` raises a PipelineError when the loaded model cannot write `tag` (Marian models
    say which targets they have only once loaded)."""
    targets, left_out = [], {}
    for tag in candidate_tags(config):
        try:
            check_route(config.route_for(tag))
            usable(tag)
        except PipelineError as exc:
            left_out[tag] = str(exc)
            continue
        targets.append(Target(tag.replace("_", "-"), tag, parse_locale(tag).get_display_name("en")))
    return targets, left_out


def languages_listing(targets: list[Target]) -> list[dict]:
    """`GET /languages`: Gujarati with its targets, then each target (translating from none),
    so a client that only reads the codes (Weblate) knows both ends of every pair."""
    source = {
        "code": SOURCE_LANGUAGE,
        "name": parse_locale(SOURCE_LANGUAGE).get_display_name("en"),
        "targets": [t.code for t in targets],
    }
    return [source] + [{"code": t.code, "name": t.name, "targets": []} for t in targets]


def client_locale(code: object) -> str:
    """The Babel locale a client's target code stands for (`zh-Hant` → zh_Hant, `EN-in` → en_IN,
    `zt` → zh_Hant); a PipelineError for anything else."""
    if not isinstance(code, str) or not code.strip():
        raise PipelineError("target must be a language code such as en or zh-Hans")
    text = code.strip().replace("-", "_")
    text = ALIASES.get(text.lower(), text)
    return str(parse_locale(text))


def served_target(code: object, targets: list[Target]) -> tuple[str, Target]:
    """(locale, target) for a client's target code, or a PipelineError naming what is routed."""
    routed = ", ".join(t.code for t in targets) or "none"
    try:
        locale = client_locale(code)
    except PipelineError:
        raise PipelineError(f"{shown(code)} is not supported: not a language code (routed: {routed})") from None
    tag = target_tag(locale)
    for target in targets:
        if target.tag == tag:
            return locale, target
    raise PipelineError(
        f"{shown(code)} is not supported: no model is routed for {SOURCE_LANGUAGE} → {tag} (routed: {routed})"
    )


def served_pair(source: str, target: object, targets: list[Target]) -> tuple[str, Target]:
    """(locale, target) for a client's source and target codes, or a PipelineError naming the
    pair: Gujarati is the only source, as `/languages` says."""
    if not is_source(source):
        routed = ", ".join(t.code for t in targets) or "none"
        raise PipelineError(
            f"{shown(source)} → {shown(target)} is not supported: this service translates from "
            f"{SOURCE_LANGUAGE} only (into {routed})"
        )
    return served_target(target, targets)


def configuration_check(source: str, target: str, texts: list[str], targets: list[Target]) -> bool:
    """Whether a request is Weblate's check of a new service, answered 200 with nothing
    translated. Weblate asks for a pair only when both its codes are in `/languages`; de is not
    (when it is routed, this is an ordinary request), so nothing but the check gets that answer
    and no translation is ever written from it."""
    source_code, target_code, check_texts = CONFIGURATION_CHECK
    if source.strip().lower() != source_code or target.strip().lower() != target_code or texts != check_texts:
        return False
    return not any(parse_locale(t.tag).language == target_code for t in targets)


def is_source(code: object) -> bool:
    """Whether a client's source code means Gujarati (`auto` does: it is the only source)."""
    return isinstance(code, str) and code.strip().lower() in (SOURCE_LANGUAGE, "auto")
