"""The linear .mo writer gives exactly polib's bytes, which gettext reads."""

from __future__ import annotations

import gettext
import io

import polib

from pipeline.catalog.mofile import mo_bytes


def catalogue() -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    po.append(polib.POEntry(msgid="એક ફાઈલ", msgid_plural="ફાઈલો", msgstr_plural={0: "one file", 1: "files"}))
    po.append(polib.POEntry(msgid="ખોલો", msgctxt="menu", msgstr="Open"))
    po.append(polib.POEntry(msgid="આજે", msgstr="today"))
    po.append(polib.POEntry(msgid="કાલે", msgstr="tomorrow?", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="ગઈકાલે", msgstr="yesterday", obsolete=True))
    po.append(polib.POEntry(msgid="ખાલી", msgstr=""))
    po.append(polib.POEntry(msgid='A\nનવી લીટી\t"x"', msgstr='a\nnew line\t"x"'))
    return po


def test_same_bytes_as_polib_and_gettext_reads_them():
    po = catalogue()
    data = mo_bytes(po)
    assert data == po.to_binary()
    t = gettext.GNUTranslations(io.BytesIO(data))
    assert t.gettext("આજે") == "today"
    assert t.pgettext("menu", "ખોલો") == "Open"
    assert t.ngettext("એક ફાઈલ", "ફાઈલો", 3) == "files"
    assert t.gettext("કાલે") == "કાલે"  # fuzzy entries are left out, as msgfmt does
    assert t.gettext('A\nનવી લીટી\t"x"') == 'a\nnew line\t"x"'


def test_an_empty_context_is_written_as_msgfmt_writes_it():
    """`msgctxt ""` is a context: the .mo holds "\\x04msgid" for it, so `pgettext("", ...)` finds it
    and the plain msgid keeps its own text (polib's writer drops the empty context)."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="આજે", msgstr="today"))
    po.append(polib.POEntry(msgid="આજે", msgctxt="", msgstr="today, in the empty context"))
    t = gettext.GNUTranslations(io.BytesIO(mo_bytes(po)))
    assert t.gettext("આજે") == "today"
    assert t.pgettext("", "આજે") == "today, in the empty context"
