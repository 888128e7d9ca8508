"""Names every part of the package agrees on: locales, the source language, and where a project's
files live (`locales/`, the work directory). A leaf: it imports nothing of the pipeline but its
error type and file-name check, so configuration, stages and the CLI can all ask it.

    locales/DOMAIN.pot                      the Gujarati segments
    locales/LOCALE/LC_MESSAGES/DOMAIN.po    a locale's catalogue (the truth), and its .mo
    .pipeline/NAME.json                     a stage's cached result (a cache: deleting it costs time)
    .pipeline/memory.sqlite                 the model's raw output (a cache too)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError

from pipeline.errors import PipelineError
from pipeline.fsutil import check_plain_name

SOURCE_LANGUAGE = "gu"
PIVOT_LANGUAGE = "en"  # a two-model route goes gu → en with the first model, en → target with the second
# Languages whose models write more than one script: the script is part of the target, so zh_Hans
# and zh_Hant never share a model code or a translation-memory row.
SCRIPTED_LANGUAGES = {"zh": "Hans"}  # language -> script when the locale names none (CLDR likely subtags)

DEFAULT_LOCALES_DIR = "locales"
DEFAULT_WORKDIR = ".pipeline"
DEFAULT_DOMAIN = "messages"
DEFAULT_MODELS = "models.yaml"
MEMORY_FILE = "memory.sqlite"
CATALOGUE_FOLDER = "LC_MESSAGES"
# Left by export in each folder of rebuilt documents: a run never reads such a folder as sources.
EXPORT_MARKER = ".pipeline-export"


def parse_locale(name: str) -> Locale:
    """A Babel locale, or a clear error; names like `zh_Hans` and `en-IN` are both accepted."""
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise PipelineError(
            f"unknown locale {name!r}: use a Babel/CLDR identifier such as en, en_IN or zh_Hans"
        ) from None


def target_language(locale: str) -> str:
    return parse_locale(locale).language


def target_tag(locale: str) -> str:
    """What a model is asked to write for `locale`: its language, plus the script for languages
    written in several (zh, zh_CN, zh_Hans → zh_Hans; zh_TW, zh_HK, zh_Hant → zh_Hant)."""
    parsed = parse_locale(locale)
    if parsed.language not in SCRIPTED_LANGUAGES:
        return parsed.language
    return f"{parsed.language}_{parsed.script or SCRIPTED_LANGUAGES[parsed.language]}"


def normalise_locales(names: list[str]) -> list[str]:
    """Locale names as Babel writes them (en-IN → en_IN), each once, in the order given."""
    out = []
    for name in names:
        locale = str(parse_locale(name.strip()))
        if locale not in out:
            out.append(locale)
    return out


@dataclass(frozen=True)
class Paths:
    """Where one project's catalogues and work directory are."""

    workdir: Path
    locales_dir: Path
    domain: str = DEFAULT_DOMAIN

    def __post_init__(self):
        check_plain_name(self.domain, "gettext domain")  # it names output files

    def artefact(self, name: str) -> Path:
        return Path(self.workdir) / f"{name}.json"

    def memory(self) -> Path:
        return Path(self.workdir) / MEMORY_FILE

    def pot(self) -> Path:
        return Path(self.locales_dir) / f"{self.domain}.pot"

    def po(self, locale: str) -> Path:
        return Path(self.locales_dir) / check_plain_name(locale, "locale") / CATALOGUE_FOLDER / f"{self.domain}.po"

    def mo(self, locale: str) -> Path:
        return self.po(locale).with_suffix(".mo")

    def check_inside(self, locales: list[str]) -> None:
        """Refuse a catalogue path that leads out of the catalogue folder through a link (a locale
        folder linked elsewhere): a run writes only inside the folders it was given, as export does."""
        root = Path(self.locales_dir).resolve()
        for path in [self.pot()] + [p for locale in locales for p in (self.po(locale), self.mo(locale))]:
            target = path.resolve()
            if not target.is_relative_to(root):
                raise PipelineError(f"leads outside {self.locales_dir} (to {target}) through a link; the pipeline "
                                    f"writes catalogues only inside {self.locales_dir}: replace the link with a "
                                    "folder (or pass --locales the folder it points to)", path=path)

    def found_locales(self) -> list[str]:
        """Every LOCALE with a LOCALE/LC_MESSAGES/DOMAIN.po, sorted."""
        return sorted(p.parent.parent.name
                      for p in Path(self.locales_dir).glob(f"*/{CATALOGUE_FOLDER}/{self.domain}.po"))


def locale_of_catalogue(path: Path) -> str | None:
    """The LOCALE of a path shaped LOCALE/LC_MESSAGES/DOMAIN.po, else None."""
    path = Path(path)
    return path.parent.parent.name if path.parent.name == CATALOGUE_FOLDER and path.parent.parent.name else None
