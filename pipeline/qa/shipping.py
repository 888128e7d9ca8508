"""Which translated entries must not ship, as `msgfmt -c` refuses a format string whose msgstr does
not match its msgid: a site runs what a translation holds, so a format placeholder (`%s`,
`%(name)d`, `{0}`), i18next syntax (`{{name}}`, `$t(key)`), HTML (`<img …>`, `&amp;`) or an
inline-markup placeholder (`<1>…</1>`) the source does not have, or one it lost, breaks the page
or runs there. Such an entry stays in the catalogue, flagged by the `placeholders` and `markup`
checks, and is left out of what is shipped (export, and the .mo beside the catalogue).
URLs, e-mail addresses and citation marks are not held back: a reviewer may localise a link.
"""

from __future__ import annotations

import polib

from pipeline.catalog.entry import texts
from pipeline.localise.markup import check_markup
from pipeline.localise.spans import compare_spans

SITE_RUN_KINDS = ("placeholder", "markup")  # span kinds (see localise.spans) a site interprets


def _form_problem(source: str, translation: str) -> str | None:
    missing, added = compare_spans(source, translation, SITE_RUN_KINDS)
    problems = []
    if added:
        problems.append("placeholders in translation but not in source: " + " ".join(added))
    if missing:
        problems.append("placeholders of the source missing in translation: " + " ".join(missing))
    problems += [f.message for f in check_markup(source, translation)]
    return "; ".join(problems) or None


def shipping_problem(entry: polib.POEntry) -> str | None:
    """Why `entry`'s translation must not ship, or None. A plural form may follow its msgid or
    its msgid_plural (a language with one form writes the plural's placeholders)."""
    sources = (entry.msgid, entry.msgid_plural) if entry.msgid_plural else (entry.msgid,)
    for translation in texts(entry):
        if not translation:
            continue
        problems = [_form_problem(source, translation) for source in sources]
        if all(problems):
            return problems[0]
    return None
