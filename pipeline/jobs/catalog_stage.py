"""The catalogue stage: the .pot, and each locale's .po merged with reviewers' work and its .mo,
rendered as text and bytes (the runner writes them, and only what changed)."""

from __future__ import annotations

from dataclasses import dataclass

import polib

from pipeline.catalog import merge as merging
from pipeline.catalog import pofile, poformat
from pipeline.catalog.entry import QA_COMMENT, reviewed_texts, ships
from pipeline.catalog.header import ProjectId
from pipeline.catalog.mofile import mo_bytes
from pipeline.catalog.poreader import Parsed, parse_po
from pipeline.catalog.status import LocaleStatus, catalog_status
from pipeline.ledger import Written
from pipeline.qa.shipping import shipping_problem

CATALOG_VERSION = "3"  # bump when merge or the writers change: catalogues are merged again (2: a person's
# fuzzy edit is checked as it reads, with the glossary; 3: an empty msgctxt is a context of its own)


@dataclass(frozen=True)
class CatalogOptions:
    """How catalogues are written: `--purge-obsolete`, `--no-wrap`, `--project`."""

    purge_obsolete: bool = False
    wrap: bool = True
    project: ProjectId | None = None


@dataclass(frozen=True)
class Rendered:
    text: str | None  # the file's new text; None when the file already says it
    digests: list[str]  # each entry's fields, as the writer formatted them (see `poformat.format_entries`)


@dataclass(frozen=True)
class Merged:
    po: polib.POFile
    rendered: Rendered
    mo: bytes
    status: LocaleStatus  # what `pipeline status` will say of the catalogue written
    held_back: list[str]  # warnings: approved entries left out of the .mo, each naming its line


def written_texts(last: Written | None, digest: str | None, read: Parsed | None, wrap: bool) -> dict[str, str] | None:
    """When the file read is byte for byte the catalogue stage's last write (`last`), with the
    same layout: each entry's text by the digest of the fields it was written from, so entries
    that did not change are copied instead of formatted again (see `poformat.format_entries`)."""
    if read is None or last is None or last.file != digest or last.wrap != wrap:
        return None
    written = last.entries
    return dict(zip(written, read.blocks)) if isinstance(written, list) and len(written) == len(read.blocks) else None


def render(
    po: polib.POFile,
    locale: str | None,
    old_text: str | None,
    previous: polib.POFile | None,
    options: CatalogOptions,
    known: dict[str, str] | None,
) -> Rendered:
    digests = [poformat.fields_digest(e) for e in po]
    text = pofile.render_catalog(po, locale, old_text, previous, options.wrap, options.project, known, digests)
    return Rendered(text, digests)


def template(
    messages: list[pofile.Message],
    old_text: str | None,
    previous: polib.POFile | None,
    options: CatalogOptions,
    known: dict[str, str] | None,
) -> Rendered:
    """The .pot: every message with its references, no translation."""
    return render(pofile.build_template(messages), None, old_text, previous, options, known)


def merge(
    locale: str,
    existing: Parsed | None,
    old_text: str | None,
    messages: list[pofile.Message],
    translations: dict,
    options: CatalogOptions,
    check,
    known: dict[str, str] | None,
    po_name: str,
    mo_name: str,
    reviewed: dict | None = None,
) -> Merged:
    """`locale`'s catalogue with this run's translations merged in (see `catalog.merge`), and its .mo.
    An approved entry whose placeholders or markup differ from its source stays out of the .mo,
    with a warning naming its line (see `qa.shipping`). `reviewed`: the reviewed memory the merge
    takes reviewed text and fuzzy matches from (None: the catalogue's own)."""
    previous = existing.po if existing is not None else None
    po = merging.merge_catalog(
        previous,
        messages,
        translations,
        reviewed=reviewed if reviewed is not None else reviewed_texts(previous),
        purge_obsolete=options.purge_obsolete,
        check=check,
    )
    rendered = render(po, locale, old_text, previous, options, known)
    held = held_back(po)
    mo = mo_bytes(po, lambda e: ships(e) and id(e) not in held)
    warnings = _held_back_warnings(rendered.text or old_text or "", po_name, mo_name, po, held) if held else []
    return Merged(po, rendered, mo, catalog_status(locale, po), warnings)


def held_back(po: polib.POFile) -> dict[int, str]:
    """id → why, for approved entries that must not go into the .mo. The merge has just checked
    every approved entry (its `qa:` notes): only those with a placeholders or markup note, and
    plural entries (checked form by form), are looked at again."""
    suspect = (f"{QA_COMMENT}: placeholders:", f"{QA_COMMENT}: markup:")
    held = {}
    for e in po:
        if ships(e) and (e.msgid_plural or any(note in e.comment for note in suspect)):
            problem = shipping_problem(e)
            if problem is not None:
                held[id(e)] = problem
    return held


def _held_back_warnings(text: str, po_name: str, mo_name: str, po: polib.POFile, held: dict[int, str]) -> list[str]:
    """Warnings naming each held entry's line in the catalogue as written (parsed again: rare)."""
    lines = {(e.msgctxt, e.msgid): e.linenum for e in parse_po(text, wrapwidth=78).po} if text else {}
    return [
        f"{po_name}:{lines.get((e.msgctxt, e.msgid), '?')}: left out of {mo_name}: {held[id(e)]}"
        for e in po
        if id(e) in held
    ]
