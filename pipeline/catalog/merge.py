"""Merge this run's machine translations into the catalogue reviewers work on.

Entries are matched by (msgctxt, msgid). Who owns an entry decides what may change in it:

- a person owns an entry they approved (fuzzy cleared) or edited (fuzzy text whose digest is not
  the one the pipeline wrote, see `entry.state`); it is kept verbatim and only its references
  follow the sources, except that what the pipeline noted about the machine text it replaced
  (`confidence:`, `qa:`) is refreshed: the `qa:` notes are those `check` finds in the person's
  text, so nobody sees alarms about machine text that is gone, and `pipeline check` agrees;
- the pipeline owns untranslated entries and its own fuzzy machine translations; they get this
  run's translation and fresh extracted comments (model, QA findings), and keep translator comments.

A source that changed slightly (see `similarity`) inherits its old entry instead of starting over:
- old entry machine-made: the new source's machine translation, fuzzy, `#| msgid` = old source;
- old entry reviewed: the reviewed text stays as msgstr, fuzzy, `#| msgid` = old source, and the
  new machine translation is offered beside it in an extracted comment (`suggestion: ...`), so a
  reviewer compares and picks; nothing they wrote is overwritten.

Reviewed translations also come from the reviewed memory (`reviewed`: Gujarati source to reviewed
text, the approved entries of the catalogue, live and obsolete, and with a `reviewed.CatalogMemory`
those of the locale's other catalogues): an identical source reuses it as reviewed (not fuzzy,
marked `reused`, naming the catalogue it came from), a close one gets it as a fuzzy suggestion
with `#| msgid` = the memory's source; a new entry whose source a person left fuzzy in another
catalogue gets that text, still fuzzy (their draft is not left behind). The memory fills a new entry or one holding the pipeline's
machine text; never a person's, nor a live entry left empty (a reviewer may have emptied it on
purpose: that one is translated again, not refilled).

Entries whose source disappeared become obsolete (`#~`), plural ones included; obsolete ones are
dropped only with `purge_obsolete`. Untranslated entries that lose their source are simply dropped.
"""

from __future__ import annotations

from collections.abc import Callable

import polib

from pipeline.catalog.entry import (
    CONFIDENCE_COMMENT,
    MT_COMMENT,
    QA_COMMENT,
    State,
    entry_findings,
    machine_comment,
    qa_lines,
    starts_note,
    state,
    text_state,
    with_note,
    without_note,
)
from pipeline.catalog.pofile import Message
from pipeline.catalog.reviewed import CatalogMemory, own_memory
from pipeline.catalog.similarity import best_matches
from pipeline.ingest.controls import without_dropped
from pipeline.model import Finding, Translation

SUGGESTION = "suggestion"
REUSED = "reused: reviewed translation from the translation memory"
CHANGED = "source changed: the translation reviewed for the previous source (#|) is kept, still fuzzy"
FROM_MEMORY = "from the translation memory: reviewed translation of a similar source (#|), fuzzy"


def reused_from(origin: str | None) -> str:
    """The mark on an entry the memory filled: from the catalogue itself, or from `origin`."""
    return REUSED if origin is None else f"reused: reviewed translation from {origin}"


def reused_sources(po: polib.POFile | None) -> set[str]:
    """Sources of the approved entries the memory filled (marked `reused:`): copies of a review
    made elsewhere, which the memory ranks after the reviews themselves (see `reviewed.LocaleMemory`)."""
    if po is None:
        return set()
    return {e.msgid for e in po if e.comment.startswith("reused:") and e.msgctxt is None}


def drafted_in(origin: str) -> str:
    """The mark on a person's fuzzy text carried over from another catalogue for the same source."""
    return f"from the translation memory: a person's fuzzy translation in {origin}, still fuzzy"


def suggested_from(origin: str | None) -> str:
    """The mark on a fuzzy suggestion from the memory: the catalogue's own, or `origin`'s."""
    if origin is None:
        return FROM_MEMORY
    return f"from the translation memory: reviewed translation of a similar source (#|) in {origin}, fuzzy"


_PIPELINE_LINES = (
    MT_COMMENT + ":",
    CONFIDENCE_COMMENT + ":",
    QA_COMMENT + ":",
    SUGGESTION + " ",
    "reused:",
    "source changed:",
    "from the translation memory:",
)

Key = tuple[str | None, str]


def _key(entry_or_message) -> Key:
    """`msgctxt ""` is a context of its own, apart from none (`pgettext("", ...)`), as in gettext."""
    return (entry_or_message.msgctxt, entry_or_message.msgid)


Check = Callable[[str, str], tuple[Finding, ...]]


def merge_catalog(
    existing: polib.POFile | None,
    messages: list[Message],
    translations: dict[str, Translation],
    *,
    reviewed: dict[str, str] | CatalogMemory | None = None,
    purge_obsolete: bool = False,
    check: Check | None = None,
) -> polib.POFile:
    """The new catalogue for one locale, in document order, obsolete entries last.

    `check`: the QA registry with the locale's context, to check a person's text (None: their
    comments kept verbatim)."""
    memory = own_memory(reviewed)
    if existing is not None:
        take_clean_msgids(existing)
    old = {_key(e): e for e in existing if e.msgid or e.msgctxt is not None} if existing is not None else {}
    blocked = blocked_sources(existing)
    found = {m.msgid: memory.get(m.msgid) for m in messages if m.msgid not in blocked}
    filled = {source: hit for source, hit in found.items() if hit is not None}
    wanted = {_key(m) for m in messages}
    new = [m for m in messages if _key(m) not in old and m.msgid not in filled]
    drafts = {m.msgid: hit for m in new if (hit := memory.draft(m.msgid)) is not None}
    fresh = [m for m in new if m.msgid not in drafts]
    spare = {
        e.msgid: e
        for k, e in old.items()  # a context entry is another use of its words, on purpose
        if k not in wanted and not e.msgid_plural and e.msgctxt is None and e.msgstr
    }

    def persons(entry: polib.POEntry) -> bool:
        return text_state(entry).persons

    from_catalog = best_matches([m.msgid for m in fresh], spare)
    rest = [m.msgid for m in fresh if m.msgid not in from_catalog]
    from_memory = memory.similar(rest, lambda s: (None, s) not in wanted and s not in blocked)

    po = polib.POFile(wrapwidth=78)
    used: set[Key] = set()
    for msg in messages:
        occurrences = [(ref, "") for ref in msg.references]
        translation = translations.get(msg.msgid)
        prev = old.get(_key(msg))
        if prev is not None and persons(prev):
            used.add(_key(prev))
            entry = prev
        elif msg.msgid in filled:
            text, origin = filled[msg.msgid]
            entry = polib.POEntry(msgid=msg.msgid, msgstr=text, comment=reused_from(origin))
            if prev is not None:  # the pipeline's machine text: a translator's note survives
                entry.tcomment = without_note(prev.tcomment)
                used.add(_key(prev))
        elif msg.msgid in drafts:
            (text, previous), origin = drafts[msg.msgid]
            entry = polib.POEntry(msgid=msg.msgid, msgstr=text, flags=["fuzzy"], comment=drafted_in(origin))
            entry.previous_msgid = previous
        elif msg.msgid in from_catalog:
            source = from_catalog[msg.msgid][0]
            similar = spare[source]
            used.add(_key(similar))
            if persons(similar):
                entry = _suggest(msg, similar.msgstr, source, CHANGED, translation)
                entry.tcomment = without_note(similar.tcomment)
            else:
                entry = _machine(msg, translation, similar)
                entry.previous_msgid = source
        elif msg.msgid in from_memory:
            source = from_memory[msg.msgid][0]
            text, origin = memory.get(source)
            entry = _suggest(msg, text, source, suggested_from(origin), translation)
        else:
            entry = _machine(msg, translation, prev)
            if prev is not None:
                used.add(_key(prev))
        entry.msgctxt = msg.msgctxt
        entry.obsolete = False
        entry.occurrences = occurrences
        now = state(entry)
        if now is State.REVIEWED:  # approved: no longer awaiting review
            entry.tcomment = without_note(entry.tcomment)
        if now.persons and check is not None:  # checked as the person wrote it
            entry.comment = refresh_qa(entry.comment, entry_findings(entry, check))
        po.append(entry)
    if not purge_obsolete:
        for key, entry in old.items():
            if (
                key not in used
                and key not in wanted
                and (text_state(entry) is not State.UNTRANSLATED or entry.tcomment)
            ):
                entry.obsolete = True
                entry.occurrences = []
                entry.previous_msgid = entry.previous_msgctxt = None  # polib drops `#~|` when reading
                po.append(entry)
    return po


def clean_msgids(po: polib.POFile) -> dict[int, str]:
    """id → msgid the sources give now, for each entry whose msgid holds a control character the
    sources are now cleaned of (a catalogue written before; see `ingest.controls`), unless another
    entry has that msgid already."""
    if po is None or not any(without_dropped(e.msgid) != e.msgid for e in po):
        return {}
    keys = {(e.msgctxt, e.msgid) for e in po}
    out = {}
    for e in po:
        clean = without_dropped(e.msgid)
        if clean != e.msgid and (e.msgctxt, clean) not in keys:
            keys.add((e.msgctxt, clean))
            out[id(e)] = clean
    return out


def take_clean_msgids(po: polib.POFile) -> None:
    """Such entries take the clean msgid (`clean_msgids`), so the sentence matches its entry and a
    reviewer's text stays theirs instead of coming back as a changed source."""
    clean = clean_msgids(po)
    for e in po:
        if id(e) in clean:
            e.msgid = clean[id(e)]


def refresh_qa(comment: str, findings: tuple[Finding, ...]) -> str:
    """`comment` with its `qa:` notes replaced by `findings`, placed after the machine-translation
    note, and the model's `confidence:` in the machine text it replaced taken out; an editor's
    re-wrapping is kept when the notes did not change."""
    notes: list[list[str]] = []  # each note: its first line and the lines an editor wrapped it onto
    for line in comment.split("\n") if comment else []:
        if notes and line and not starts_note(line):
            notes[-1].append(line)
        else:
            notes.append([line])
    kept = [n for n in notes if not n[0].startswith((QA_COMMENT + ":", CONFIDENCE_COMMENT + ":"))]
    at = next((i + 1 for i, n in enumerate(kept) if n[0].startswith(MT_COMMENT + ":")), len(kept))
    lines = [line for n in kept[:at] for line in n] + qa_lines(findings) + [line for n in kept[at:] for line in n]
    new = "\n".join(lines)
    return comment if new.split() == comment.split() else new


def _machine(msg: Message, translation: Translation | None, prev: polib.POEntry | None) -> polib.POEntry:
    """A pipeline-owned entry: this run's translation, fuzzy; a translator's note survives."""
    entry = polib.POEntry(msgid=msg.msgid, msgstr="")
    if prev is not None:
        entry.tcomment = without_note(prev.tcomment)
        entry.previous_msgid = prev.previous_msgid
        entry.previous_msgctxt = prev.previous_msgctxt
        entry.comment = _foreign_lines(prev.comment)
    if translation is not None and translation.text:
        entry.msgstr = translation.text
        entry.flags = ["fuzzy"]
        entry.tcomment = with_note(entry.tcomment, translation.text)
        entry.comment = "\n".join(filter(None, [machine_comment(translation), entry.comment]))
        if prev is not None and prev.comment.split() == entry.comment.split():
            entry.comment = prev.comment  # an editor re-wrapped our comment lines: keep its layout
    return entry


def _suggest(msg: Message, text: str, source: str, why: str, translation: Translation | None) -> polib.POEntry:
    """Reviewed text of a similar source, fuzzy, with this run's machine translation beside it."""
    lines = [why]
    if translation is not None and translation.text:
        lines.append(f"{SUGGESTION} ({translation.model_id}): {translation.text}")
    entry = polib.POEntry(msgid=msg.msgid, msgstr=text, flags=["fuzzy"], comment="\n".join(lines))
    entry.previous_msgid = source
    return entry


def _foreign_lines(comment: str) -> str:
    """Extracted comments another tool wrote; the pipeline's own lines are regenerated. A line
    right after one of ours that starts no comment of its own is ours too, wrapped by an editor."""
    kept, ours = [], False
    for line in comment.split("\n"):
        if line.startswith(_PIPELINE_LINES):
            ours = True
        elif line and not (ours and not starts_note(line)):
            kept.append(line)
            ours = False
    return "\n".join(kept)


def blocked_sources(existing: polib.POFile | None) -> set[str]:
    """Sources the memory may not fill in `existing`: live there as a person's text (kept anyway)
    or left empty (a reviewer may have emptied an entry on purpose; that one is translated again,
    not refilled). A live entry holding the pipeline's machine text takes reviewed text."""
    if existing is None:
        return set()
    return {e.msgid for e in existing if not e.obsolete and e.msgctxt is None and text_state(e) is not State.MACHINE}


def reusable(existing: polib.POFile | None, reviewed: dict[str, str]) -> set[str]:
    """Memory sources that may fill an entry of `existing` (see `blocked_sources`)."""
    blocked = blocked_sources(existing)
    return {s for s in reviewed if s not in blocked}
