"""What ships, answered once for the run's .mo and for export: `shipping(entry, include_fuzzy)`.

An entry ships when it is approved (`catalog.entry.releasable`: reviewed, or fuzzy when asked,
every form written) and no finding on it is `Severity.BLOCKING`. A finding blocks as `msgfmt -c`
refuses a format string whose msgstr does not match its msgid: a site runs what a translation
holds, so a format placeholder (`%s`,
`%(name)d`, `{0}`), i18next syntax (`{{name}}`, `$t(key)`), HTML (`<img …>`, `&amp;`) or an
inline-markup placeholder (`<1>…</1>`) the source does not have, or one it lost, breaks the page
or runs there. Such an entry stays in the catalogue, flagged by the `placeholders` and `markup`
checks, and is left out of what is shipped (export, and the .mo beside the catalogue). The
blocking findings are made here from the entry's text, never read from its `qa:` notes (advice to
reviewers, which anyone may edit). URLs, e-mail addresses and citation marks are not held back: a
reviewer may localise a link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polib

from pipeline.catalog.entry import releasable, texts
from pipeline.localise.markup import check_markup
from pipeline.localise.spans import compare_spans
from pipeline.model import Finding, Severity

SITE_RUN_KINDS = ("placeholder", "markup")  # span kinds (see localise.spans) a site interprets
# Every span of those kinds and every inline-markup tag (`<1>`) holds one of these characters (see
# the patterns in localise.spans and localise.markup): a pair without any has nothing a site runs,
# so most sentences are answered without a pattern search.
SITE_RUN_MARKS = "%{$<&`["
_MARK = re.compile("[" + re.escape(SITE_RUN_MARKS) + "]")


def may_hold_site_run(text: str) -> bool:
    return _MARK.search(text) is not None


def _form_problem(source: str, translation: str) -> str | None:
    missing, added = compare_spans(source, translation, SITE_RUN_KINDS)
    problems = []
    if added:
        problems.append("placeholders in translation but not in source: " + " ".join(added))
    if missing:
        problems.append("placeholders of the source missing in translation: " + " ".join(missing))
    problems += [f.message for f in check_markup(source, translation)]
    return "; ".join(problems) or None


def check_shipping(entry: polib.POEntry) -> tuple[Finding, ...]:
    """What a site would run wrongly in `entry`'s translation: a `Severity.BLOCKING` finding for the
    first form that differs, or none. A plural form may follow its msgid or its msgid_plural (a
    language with one form writes the plural's placeholders)."""
    sources = (entry.msgid, entry.msgid_plural) if entry.msgid_plural else (entry.msgid,)
    if not any(map(may_hold_site_run, (*sources, *texts(entry)))):
        return ()
    for translation in texts(entry):
        if not translation:
            continue
        problems = [_form_problem(source, translation) for source in sources]
        if all(problems):
            return (Finding("shipping", problems[0], Severity.BLOCKING),)
    return ()


@dataclass(frozen=True)
class Shipping:
    """Whether an entry goes into a .mo or an export, and what holds an approved one back."""

    ships: bool
    blocking: tuple[Finding, ...] = ()  # why an approved entry is left out (warnings name them)


def shipping(entry: polib.POEntry, include_fuzzy: bool = False) -> Shipping:
    """The one answer to "does `entry` ship?", for the run's .mo (reviewed entries) and for export
    (`include_fuzzy`: machine translations awaiting review too)."""
    if not releasable(entry, include_fuzzy):
        return Shipping(False)
    blocking = tuple(f for f in check_shipping(entry) if f.severity is Severity.BLOCKING)
    return Shipping(not blocking, blocking)
