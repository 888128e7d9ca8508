"""Names every part of the package agrees on: locales, the source language, and where a project's
files live (`locales/`, the work directory). A leaf: it imports nothing of the pipeline but its
error type and file-name check, so configuration, stages and the CLI can all ask it.

    locales/DOMAIN.pot                      the Gujarati segments
    locales/LOCALE/LC_MESSAGES/DOMAIN.po    a locale's catalogue (the truth), and its .mo

DOMAIN is `messages` (or --domain) when every source goes into one catalogue; with
`--catalogs per-document` it is each source's path without its suffix (`politics/budget`), with
`per-folder` its top-level folder (`politics`), as Sphinx's gettext builder names them.
    .pipeline/NAME.json                     a stage's cached result (a cache: deleting it costs time;
                                            every entry is named in `pipeline.ledger`)
    .pipeline/memory.sqlite                 the model's raw output (a cache too)
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

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
# How sources are grouped into catalogues (`--catalogs`, `catalogs:` in models.yaml).
SINGLE, PER_DOCUMENT, PER_FOLDER = "single", "per-document", "per-folder"
CATALOG_LAYOUTS = (SINGLE, PER_DOCUMENT, PER_FOLDER)
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
        check_domain(self.domain)  # it names output files

    def for_domain(self, domain: str) -> Paths:
        """The same project's paths for another catalogue (a per-document or per-folder domain)."""
        return replace(self, domain=domain)

    def memory(self) -> Path:
        return Path(self.workdir) / MEMORY_FILE

    def pot(self) -> Path:
        return Path(self.locales_dir) / f"{self.domain}.pot"

    def po(self, locale: str) -> Path:
        return Path(self.locales_dir) / check_plain_name(locale, "locale") / CATALOGUE_FOLDER / f"{self.domain}.po"

    def mo(self, locale: str) -> Path:
        return self.po(locale).with_suffix(".mo")

    def check_inside(self, locales: list[str], domains: list[str] | None = None) -> None:
        """Refuse a catalogue path that leads out of the catalogue folder through a link (a locale
        folder linked elsewhere): a run writes only inside the folders it was given, as export does.
        `domains`: every catalogue of a set (default: this one); each folder is resolved and listed
        once, and a file resolved only when it is a link itself."""
        root = Path(self.locales_dir).resolve()
        folders: dict[str, tuple[bool, set[str]]] = {}  # folder -> (inside the root, the links in it)
        for domain in domains if domains is not None else [self.domain]:
            for path in self.catalog_files(domain, locales).values():
                folder, name = os.path.split(path)
                if folder not in folders:
                    folders[folder] = (Path(folder).resolve().is_relative_to(root), _links_in(folder))
                inside, links = folders[folder]
                if name in links:
                    inside = Path(path).resolve().is_relative_to(root)
                if not inside:
                    raise PipelineError(
                        f"leads outside {self.locales_dir} (to {Path(path).resolve()}) through a link; the "
                        f"pipeline writes catalogues only inside {self.locales_dir}: replace the link with a "
                        "folder (or pass --locales the folder it points to)",
                        path=Path(path),
                    )

    def catalog_files(self, domain: str, locales: list[str]) -> dict[str, str]:
        """The files of one catalogue as strings, for a loop over thousands of them: "pot", and
        "LOCALE.po", "LOCALE.mo" for each locale (the paths `pot`, `po` and `mo` give)."""
        root = os.fspath(self.locales_dir)
        files = {"pot": os.path.join(root, f"{domain}.pot")}
        for locale in locales:
            po = os.path.join(root, check_plain_name(locale, "locale"), CATALOGUE_FOLDER, f"{domain}.po")
            files[f"{locale}.po"], files[f"{locale}.mo"] = po, po[:-3] + ".mo"
        return files

    def found_locales(self) -> list[str]:
        """Every LOCALE with a LOCALE/LC_MESSAGES/DOMAIN.po, sorted; a folder whose name is no
        locale as the pipeline writes it (a backup, `en-GB`, `old.en`) is not one (see `not_locales`)."""
        return [name for name in self._catalog_folders() if _is_locale_folder(name)]

    def not_locales(self) -> list[str]:
        """Folders holding LC_MESSAGES/DOMAIN.po that are not named as a locale, sorted."""
        return [name for name in self._catalog_folders() if not _is_locale_folder(name)]

    def found_domains(self, locales: list[str] | None = None) -> list[str]:
        """Every DOMAIN with a template or a catalogue of one of `locales` (all locale folders when
        None) under the catalogue folder, nested ones (`politics/budget`) included, sorted."""
        found = set(self.found_templates())
        for locale in locales if locales is not None else self.found_locales_any_domain():
            found.update(self.found_catalogs(locale))
        return sorted(found)

    def found_templates(self) -> list[str]:
        """Every DOMAIN with a template under the catalogue folder, sorted."""
        root = Path(self.locales_dir)
        return sorted(
            d
            for d in (p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.pot") if p.is_file())
            if _is_domain(d)
        )

    def found_catalogs(self, locale: str) -> list[str]:
        """Every DOMAIN with a catalogue of `locale`, nested ones included, sorted: only the locale's
        own folder is searched."""
        folder = Path(self.locales_dir) / locale / CATALOGUE_FOLDER
        return sorted(
            d
            for d in (p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.po") if p.is_file())
            if _is_domain(d)
        )

    def found_locales_any_domain(self) -> list[str]:
        """Every locale folder holding an LC_MESSAGES folder, whatever catalogues it holds, sorted."""
        root = Path(self.locales_dir)
        return sorted(p.parent.name for p in root.glob(f"*/{CATALOGUE_FOLDER}") if _is_locale_folder(p.parent.name))

    def _catalog_folders(self) -> list[str]:
        return sorted(
            p.parent.parent.name for p in Path(self.locales_dir).glob(f"*/{CATALOGUE_FOLDER}/{self.domain}.po")
        )


# A part of a domain: letters (any script, so a Gujarati file name is a domain) and digits, and
# _ . @ + -; not starting with a dot (hidden files, `..`).
_DOMAIN_PART = re.compile(r"[\w@+-][\w.@+-]*")


def check_domain(name: str) -> str:
    """`name` if it can name a catalogue: `/`-separated parts of letters, digits and _ . @ + -, none
    empty or starting with a dot, so it stays inside the catalogue folder; in NFC, so a name typed
    on one system finds the file written on another."""
    if not _is_domain(name):
        raise PipelineError(
            f"gettext domain {name!r} is not a usable catalogue name (folders separated by /, each of "
            "letters, digits and _ . @ + -, not starting with a dot; no spaces or other characters)"
        )
    return name


def _is_domain(name: str) -> bool:
    return (
        bool(name)
        and unicodedata.normalize("NFC", name) == name
        and all(_DOMAIN_PART.fullmatch(part) for part in name.split("/"))
    )


def domain_of(document: str, layout: str, default: str = DEFAULT_DOMAIN) -> str:
    """The catalogue a source's sentences go into: `default` for the single layout; the document's
    path without its suffix per document (`politics/budget.md` → `politics/budget`); its top-level
    folder per folder (a source at the top is a folder of its own: `index.md` → `index`)."""
    if layout == SINGLE:
        return default
    path = PurePosixPath(document.lstrip("/"))
    without_suffix = path.with_suffix("").as_posix()
    return without_suffix if layout == PER_DOCUMENT else without_suffix.split("/", 1)[0]


def assign_domains(
    documents: list[tuple[Path, str]], layout: str, default: str = DEFAULT_DOMAIN
) -> dict[str, list[str]]:
    """{domain: [document name, ...]} for (file, document name) pairs as `ingest.collect_sources`
    returns them, domains sorted, documents in the order given. Refused before any work: a domain
    that is no usable catalogue name, and two sources whose catalogues would be one file per
    document (`a.md` and `a.html`), or differ only in case (one file on macOS and Windows)."""
    by_domain: dict[str, list[str]] = {}
    by_folded: dict[str, tuple[str, Path]] = {}
    for file, name in documents:
        domain = domain_of(name, layout, default)
        if not _is_domain(domain):
            raise PipelineError(
                f"its catalogue name {domain!r} (--catalogs {layout}) is not a usable gettext domain: folders "
                "separated by /, each of letters, digits and _ . @ + -, not starting with a dot; rename the source",
                path=file,
            )
        folded = unicodedata.normalize("NFC", domain).casefold()
        other_domain, other = by_folded.setdefault(folded, (domain, file))
        if other_domain != domain:
            raise PipelineError(
                f"{other} and {file} would write catalogues {other_domain}.po and {domain}.po, which differ only "
                "in case and are one file on macOS and Windows: rename one of them"
            )
        if layout == PER_DOCUMENT and other != file:
            raise PipelineError(
                f"{other} and {file} would share the catalogue {domain}.po (--catalogs {layout}): rename one of them"
            )
        by_domain.setdefault(domain, []).append(name)
    return dict(sorted(by_domain.items()))


def _links_in(folder: str) -> set[str]:
    """Names of the symbolic links in `folder` (none when it does not exist yet)."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries if entry.is_symlink()}
    except (FileNotFoundError, NotADirectoryError):
        return set()


def _is_locale_folder(name: str) -> bool:
    try:
        return str(parse_locale(name)) == name
    except PipelineError:
        return False


def locale_of_catalog(path: Path) -> str | None:
    """The LOCALE of a path shaped LOCALE/LC_MESSAGES/DOMAIN.po, DOMAIN nested or not
    (`en/LC_MESSAGES/politics/budget.po`), else None."""
    for folder in Path(path).parents:
        if folder.name == CATALOGUE_FOLDER:
            return folder.parent.name or None
    return None
