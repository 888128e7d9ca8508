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
    source = {"code": SOURCE_LANGUAGE, "name": parse_locale(SOURCE_LANGUAGE).get_display_name("en"),
              "targets": [t.code for t in targets]}
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
    raise PipelineError(f"{shown(code)} is not supported: no model is routed for {SOURCE_LANGUAGE} → {tag} "
                        f"(routed: {routed})")


def is_source(code: object) -> bool:
    """Whether a client's source code means Gujarati (`auto` does: it is the only source)."""
    return isinstance(code, str) and code.strip().lower() in (SOURCE_LANGUAGE, "auto")
