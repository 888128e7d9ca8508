"""The catalogue header's `Project-Id-Version`: gettext's placeholder is replaced by a real name.

`msgfmt -c` warns on every file still saying `PACKAGE VERSION`, and Poedit and Weblate show the
value as the project's name. A name the user chose (`--project`, or `project:` in the models file)
is written; otherwise a name already in the catalogue (set in Poedit, say) is kept; otherwise the
gettext domain stands in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

PLACEHOLDER = "PACKAGE VERSION"  # what xgettext writes, and what msgfmt -c warns about


@dataclass(frozen=True)
class ProjectId:
    """`name` for the header; `explicit` when the user chose it, so it wins over the catalogue's own."""

    name: str
    explicit: bool = False

    def value(self, previous: Mapping[str, str] | None) -> str:
        if self.explicit:
            return self.name
        theirs = (previous or {}).get("Project-Id-Version", "").strip()
        return theirs if theirs and theirs != PLACEHOLDER else self.name
