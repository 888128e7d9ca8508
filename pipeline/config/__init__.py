"""Configuration: `models.yaml` → frozen dataclasses.

- `models`   — what the file describes: models, routes through them, per-locale options
- `yamlfile` — reading it, every error naming the key and its line
- `licences` — SPDX ids, which forbid commercial use, which ask for credit

Locale names and the source language are `pipeline.layout`'s; they are re-exported here for
the callers that configure routes with them.
"""

from pipeline.config.licences import canonical_licence, is_non_commercial, requires_attribution
from pipeline.config.models import (
    BACKENDS,
    FAMILIES,
    NUMBER_STYLES,
    QUANTIZATIONS,
    Config,
    Credit,
    GenerationSettings,
    Leg,
    LocaleOptions,
    ModelSpec,
    Route,
    project_name_problem,
)
from pipeline.config.yamlfile import load_config
from pipeline.layout import (
    PIVOT_LANGUAGE,
    SCRIPTED_LANGUAGES,
    SOURCE_LANGUAGE,
    parse_locale,
    target_language,
    target_tag,
)

__all__ = [
    "BACKENDS",
    "FAMILIES",
    "NUMBER_STYLES",
    "PIVOT_LANGUAGE",
    "QUANTIZATIONS",
    "SCRIPTED_LANGUAGES",
    "SOURCE_LANGUAGE",
    "Config",
    "Credit",
    "GenerationSettings",
    "Leg",
    "LocaleOptions",
    "ModelSpec",
    "Route",
    "canonical_licence",
    "is_non_commercial",
    "load_config",
    "parse_locale",
    "project_name_problem",
    "requires_attribution",
    "target_language",
    "target_tag",
]
