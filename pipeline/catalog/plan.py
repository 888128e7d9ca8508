"""Plan: which messages the pipeline must translate for one locale, read from its catalogue.

Everything a person owns (see `entry.state`) and every sentence the reviewed memory fills is left
to the merge; the rest is the pipeline's to translate. A function of the catalogue and the
messages alone, so a fresh clone plans exactly what a machine with a work directory does.
"""

from __future__ import annotations

from dataclasses import dataclass

import polib

from pipeline.catalog.entry import reviewed_texts, text_state
from pipeline.catalog.merge import clean_msgids, reusable
from pipeline.catalog.pofile import Message


@dataclass(frozen=True)
class Plan:
    todo: tuple[str, ...]  # msgids to machine-translate, in document order
    kept: int  # messages a person's text or the reviewed memory fills

    def to_dict(self) -> dict:
        return {"todo": list(self.todo), "kept": self.kept}

    @classmethod
    def from_dict(cls, data: dict) -> Plan:
        return cls(tuple(data["todo"]), int(data["kept"]))


def make_plan(existing: polib.POFile | None, messages: list[Message]) -> Plan:
    keep = reusable(existing, reviewed_texts(existing))
    clean = clean_msgids(existing)  # as the merge will read them
    persons = (
        {(e.msgctxt, clean.get(id(e), e.msgid)) for e in existing if text_state(e).persons}
        if existing is not None
        else set()
    )  # by context too: a person's `msgctxt` entry is another use
    todo = tuple(m.msgid for m in messages if m.msgid not in keep and (m.msgctxt, m.msgid) not in persons)
    return Plan(todo, len(messages) - len(todo))
