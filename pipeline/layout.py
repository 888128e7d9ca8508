"""Names every part of the package agrees on: locales, the source language, and where a project's
files live (`locales/`, the work directory). A leaf: it imports nothing of the pipeline but its
error type and file-name check, so configuration, stages and the CLI can all ask it.

    locales/DOMAIN.pot                      the Gujarati segments
    locales/LOCALE/LC_MESSAGES/DOMAIN.po    a locale's catalogue (the truth), and its .mo
    .pipeline/NAME.json                     a stage's cached result (a cache: deleting it costs time;
                                            every entry is named in `pipeline.ledger`)
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


_NOT_LANGUAGES = {"c", "posix", "und", "root"}  # names Babel reads as a locale that name no language


def parse_locale(name: str) -> Locale:
    """A Babel locale, or a clear error; names like `zh_Hans` and `en-IN` are both accepted, and
    so is a locale Babel completes with its script (zh_TW is zh_Hant_TW). A name Babel would read
    as another language or region (`iw` as he, `en_UK` as en_GB), with an encoding or modifier
    (`en_US.UTF-8`), or naming no language (`C`, `und`) is refused: the catalogue would be
    written under a name nobody asked for."""
    try:
        locale = Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise PipelineError(
            f"unknown locale {name!r}: use a Babel/CLDR identifier such as en, en_IN or zh_Hans"
        ) from None
    problem = _read_otherwise(name, locale)
    if problem is not None:
        raise PipelineError(f"locale {name!r} {problem}")
    return locale


def _read_otherwise(name: str, locale: Locale) -> str | None:
    """How Babel's reading of `name` differs from what `name` says, beyond spelling and an added
    script; None when it does not."""
    spelt = name.replace("-", "_")
    if spelt.lower() in _NOT_LANGUAGES or str(locale) in ("en_US_POSIX", "root"):
        return "names no language: use a locale such as en, en_IN or zh_Hans"
    if "." in spelt or "@" in spelt:
        return f"carries an encoding or modifier: write the locale alone ({spelt.split('.')[0].split('@')[0]})"
    language, *rest = spelt.split("_")
    read = str(locale)
    if language.lower() != locale.language:
        return f"is an old or alias code that Babel reads as {read!r}: write {locale.language!r} (or {read!r})"
    for part in rest:
        said = part.title() if len(part) == 4 else part.upper()
        if said not in (locale.script, locale.territory):
            return f"is read by Babel as {read!r}: write {read!r}"
    return None


def written_otherwise(names: list[str]) -> list[tuple[str, str]]:
    """(name, what it is written as) for names Babel completes (zh_TW → zh_Hant_TW), so a command
    can say which folder it writes; spelling alone (en-IN, EN) is not listed."""
    out = []
    for name in names:
        written = str(parse_locale(name.strip()))
        if written.lower() != name.strip().replace("-", "_").lower():
            out.append((name.strip(), written))
    return out


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
                raise PipelineError(
                    f"leads outside {self.locales_dir} (to {target}) through a link; the pipeline "
                    f"writes catalogues only inside {self.locales_dir}: replace the link with a "
                    "folder (or pass --locales the folder it points to)",
                    path=path,
                )

    def found_locales(self) -> list[str]:
        """Every LOCALE with a LOCALE/LC_MESSAGES/DOMAIN.po, sorted; a folder whose name is no
        locale as the pipeline writes it (a backup, `en-GB`, `old.en`) is not one (see `not_locales`)."""
        return [name for name in self._catalog_folders() if _is_locale_folder(name)]

    def not_locales(self) -> list[str]:
        """Folders holding LC_MESSAGES/DOMAIN.po that are not named as a locale, sorted."""
        return [name for name in self._catalog_folders() if not _is_locale_folder(name)]

    def _catalog_folders(self) -> list[str]:
        return sorted(
            p.parent.parent.name for p in Path(self.locales_dir).glob(f"*/{CATALOGUE_FOLDER}/{self.domain}.po")
        )


def _is_locale_folder(name: str) -> bool:
    try:
        return str(parse_locale(name)) == name
    except PipelineError:
        return False


def locale_of_catalog(path: Path) -> str | None:
    """The LOCALE of a path shaped LOCALE/LC_MESSAGES/DOMAIN.po, else None."""
    path = Path(path)
    return path.parent.parent.name if path.parent.name == CATALOGUE_FOLDER and path.parent.parent.name else None
