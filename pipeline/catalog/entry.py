"""The questions asked of a catalogue entry, answered in one place: what state it is in
(`state`: untranslated, the pipeline's machine text, a person's fuzzy edit, reviewed, obsolete),
whose it is, is it approved for shipping (`releasable`; `qa.shipping` adds what a site would
run), what QA says of it (`noted_findings` reads the `qa:` notes back). Status, review order, plan,
merge, QA, `.mo` and export all ask here.

Who owns an entry is read from the entry itself, so a fresh clone, a Weblate round trip or another
machine decides the same way. When the pipeline writes a machine translation it names the model in
an extracted comment and records a digest of the exact msgstr it wrote in a translator comment,
which GNU msgmerge and msgcat keep (msgmerge replaces every extracted comment with the template's):

    # machine translation, awaiting review (msgstr sha256 3f2a9c1e)
    #. machine translation: facebook/nllb-200-distilled-600M@f8d333a0…

A fuzzy entry whose msgstr still has that digest is the pipeline's own and may be re-translated; a
fuzzy entry whose msgstr no longer matches was edited by a person ("needs editing" in Weblate) and is
kept, and so is one whose note a person deleted. An approved entry (fuzzy cleared) is a person's
whatever its comments say; the pipeline takes its note off.

Catalogues written before digests existed carry `#. machine translation: MODEL` alone; their owner
was recorded in the work directory, and the work directory's ledger gives such an entry the note
it would carry today when that record holds its very msgstr (`ledger.Ledger.migrated`). Any other
(no record, an entry the record does not list, or a digest-era entry whose note a person removed)
is taken as a person's, since nothing can show it is not (nothing a person wrote is ever
re-translated).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from enum import Enum

import polib

from pipeline.model import Finding, Translation

MT_COMMENT = "machine translation"
CONFIDENCE_COMMENT = "confidence"
QA_COMMENT = "qa"
_MODEL = re.compile(r"^machine translation: (\S+)", re.MULTILINE)
_NOTE_START = r"[\w.-]+( [\w.-]+)?: "  # "qa: ...", "TRANSLATORS: ...": a line an editor did not wrap onto


def starts_note(line: str) -> bool:
    """Whether an extracted-comment line starts a note of its own, rather than continuing the one
    above it that an editor wrapped."""
    return re.match(_NOTE_START, line) is not None


NOTE = "machine translation, awaiting review"
_NOTE = re.compile(r"machine\s+translation,\s+awaiting\s+review\s+\(msgstr\s+sha256\s+([0-9a-f]{8})\)")


class State(Enum):
    """What an entry is, for every question asked of it."""

    UNTRANSLATED = "untranslated"  # no translation yet: the pipeline fills it
    MACHINE = "machine"  # the pipeline's own machine text, fuzzy and untouched since it wrote it
    EDITED = "edited"  # fuzzy text a person wrote or changed ("needs editing"), or a reviewed suggestion
    REVIEWED = "reviewed"  # approved by a person (fuzzy cleared)
    OBSOLETE = "obsolete"  # `#~`: its source is gone

    @property
    def persons(self) -> bool:
        """A person's text: kept verbatim, never re-translated."""
        return self in (State.EDITED, State.REVIEWED)

    @property
    def fuzzy(self) -> bool:
        """Translated and awaiting review."""
        return self in (State.MACHINE, State.EDITED)


def texts(entry: polib.POEntry) -> tuple[str, ...]:
    """The translation forms of an entry: one msgstr, or each plural form in order."""
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def is_translated(entry: polib.POEntry) -> bool:
    return any(texts(entry))


def is_fuzzy(entry: polib.POEntry) -> bool:
    return "fuzzy" in entry.flags


def digest(forms: tuple[str, ...] | str) -> str:
    """Short digest of the exact text the pipeline wrote (plural forms joined by NUL)."""
    if isinstance(forms, str):
        forms = (forms,)
    return hashlib.sha256("\x00".join(forms).encode("utf-8")).hexdigest()[:8]


def model_of(entry: polib.POEntry) -> str | None:
    """The model named in the pipeline's extracted comment, read through an editor's re-wrapping
    (polib breaks lines at spaces and after hyphens); None when there is none."""
    comment = re.sub(r"-\n", "-", entry.comment)
    comment = re.sub(rf"[ \t]*\n[ \t]*(?!{_NOTE_START})", " ", comment)  # wrapped continuation lines
    m = _MODEL.search(comment)
    return m.group(1) if m else None


def written_digest(entry: polib.POEntry) -> str | None:
    """The digest of what the pipeline wrote into this entry, from its note (read through an
    editor's re-wrapping); None without one."""
    m = _NOTE.search(entry.tcomment or "")
    return m.group(1) if m else None


def machine_note(forms: tuple[str, ...] | str) -> str:
    return f"{NOTE} (msgstr sha256 {digest(forms)})"


def without_note(tcomment: str) -> str:
    """A translator comment with the pipeline's note taken out (a person's lines stay as they are)."""
    if not tcomment or not _NOTE.search(tcomment):
        return tcomment
    lines = _NOTE.sub("\x00", tcomment).split("\n")
    return "\n".join(line.replace("\x00", "").rstrip() for line in lines if line.strip() != "\x00")


def with_note(tcomment: str, forms: tuple[str, ...] | str) -> str:
    return "\n".join(filter(None, [without_note(tcomment), machine_note(forms)]))


def state(entry: polib.POEntry) -> State:
    """The one answer to what an entry is (a catalogue an earlier version wrote is read through
    `ledger.Ledger.migrated` first)."""
    return State.OBSOLETE if entry.obsolete else text_state(entry)


def text_state(entry: polib.POEntry) -> State:
    """What an entry's text is, obsolete or not: an obsolete entry whose source comes back is
    revived as it was (a person's text stays a person's)."""
    if not is_translated(entry):
        return State.UNTRANSLATED
    if not is_fuzzy(entry):
        return State.REVIEWED
    written = written_digest(entry)
    if written is not None:
        return State.MACHINE if digest(texts(entry)) == written else State.EDITED
    if model_of(entry) is None:
        return State.EDITED  # a suggestion of reviewed text, or another tool's fuzzy entry
    return State.EDITED  # a person may have taken the note off


def releasable(entry: polib.POEntry, include_fuzzy: bool = False) -> bool:
    """What msgfmt would compile: reviewed entries, and fuzzy ones (machine text or a person's
    edit) when asked; every form written (gettext would show an empty plural form). Whether it
    ships is `qa.shipping.shipping`: this, and no finding that blocks it."""
    if not entry.msgid or not all(texts(entry)):
        return False
    current = state(entry)
    return current is State.REVIEWED or (include_fuzzy and current.fuzzy)


def machine_comment(translation: Translation) -> str:
    """The extracted comment on a machine-made entry: the model, then QA findings (the digest of
    what it wrote goes into the translator comment, see `with_note`)."""
    lines = [f"{MT_COMMENT}: {translation.model_id}"]
    if translation.confidence is not None:
        lines.append(f"{CONFIDENCE_COMMENT}: {shown_confidence(translation.confidence)}")
    lines += qa_lines(translation.findings)
    return "\n".join(lines)


def shown_confidence(value: float) -> str:
    """The confidence as a reviewer reads it: two decimals (a re-run writes the same bytes), cut
    down, never rounded up, and at most 0.99. A machine translation is never certain, and "1.00"
    read as certain would send a reviewer past text no person has read."""
    return f"{min(math.floor(value * 100), 99) / 100:.2f}"


def source_pairs(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) of each form: one, or one per plural form (the first against msgid,
    the others against msgid_plural)."""
    if entry.msgid_plural:
        return [(entry.msgid if i == 0 else entry.msgid_plural, text) for i, text in enumerate(texts(entry))]
    return [(entry.msgid, entry.msgstr)]


def entry_findings(entry: polib.POEntry, check: Callable[[str, str], tuple[Finding, ...]]) -> tuple[Finding, ...]:
    """What QA finds in an entry's text as it reads now: `check` on every form, each finding once.
    `run` writes these into a person's entry and `pipeline check` reports them, so both agree."""
    found: dict[Finding, None] = {}
    for source, translation in source_pairs(entry):
        found.update(dict.fromkeys(check(source, translation)))
    return tuple(found)


def qa_lines(findings) -> list[str]:
    return [f"{QA_COMMENT}: {f.check}: {f.message}" for f in findings]


def noted_findings(entry: polib.POEntry) -> tuple[Finding, ...]:
    """The QA findings the catalogue records on `entry` (its `qa: CHECK: MESSAGE` lines, the
    inverse of `qa_lines`): advice for its reviewer. What keeps an entry off a site is decided
    from its text (`qa.shipping`), never from these notes, which a person may edit."""
    prefix = QA_COMMENT + ": "
    found = []
    for line in entry.comment.split("\n"):
        if line.startswith(prefix):
            check, _, message = line[len(prefix) :].partition(": ")
            found.append(Finding(check, message))
    return tuple(found)


def noted_text(finding: Finding) -> str:
    """A noted finding as its line reads after `qa: `."""
    return f"{finding.check}: {finding.message}" if finding.message else finding.check


def reviewed_texts(po: polib.POFile | None) -> dict[str, str]:
    """Source → reviewed translation for every approved entry, live or obsolete, without context:
    the reviewed memory, read from the catalogue itself so a fresh clone reuses it too."""
    if po is None:
        return {}
    return {
        e.msgid: e.msgstr
        for e in po
        if e.msgid and e.msgctxt is None and not e.msgid_plural and text_state(e) is State.REVIEWED
    }


def edited_texts(po: polib.POFile | None) -> dict[str, tuple[str, str | None]]:
    """Source → (a person's fuzzy text, its previous source `#|`) for every entry a person edited
    or a suggestion of reviewed text, live or obsolete, without context: what a catalogue that
    gains the same sentence gets, still fuzzy, so a reviewer's draft is not left behind."""
    if po is None:
        return {}
    return {
        e.msgid: (e.msgstr, e.previous_msgid)
        for e in po
        if e.msgid and e.msgctxt is None and not e.msgid_plural and text_state(e) is State.EDITED
    }
