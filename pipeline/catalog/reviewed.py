"""A locale's reviewed memory: what reviewers approved in every catalogue of the locale, so a
sentence approved in one catalogue is what every other catalogue gets for the same sentence
(marked with where it came from, as Weblate marks translation-memory suggestions), and a close
sentence gets it as a fuzzy suggestion.

Which text wins when catalogues disagree is decided by the catalogues alone, so a fresh clone
gives the same bytes: the catalogue's own approved entries (live or obsolete) first, then the
other catalogues in sorted name order, each in its file order, a review before a copy of one.

Reading every catalogue on every run would cost what per-document catalogues save; the runner
keeps each catalogue's approved entries with the digest of the file they were read from
(`ReadCatalog`), and `refreshed` reads again only the catalogues whose bytes changed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from pipeline import cache as caching
from pipeline.catalog.similarity import Matcher

Draft = tuple[str, str | None]  # a person's fuzzy text and its previous source (see `entry.edited_texts`)


@dataclass(frozen=True)
class ReadCatalog:
    """One catalogue's approved entries (source → text, see `entry.reviewed_texts`), its persons'
    fuzzy drafts, and the digest of the file they were read from."""

    file: str | None
    texts: dict[str, str]
    drafts: dict[str, Draft] = field(default_factory=dict)
    copies: frozenset[str] = frozenset()  # sources whose text the memory filled (see `merge.reused_sources`)
    state: tuple[int, int, int] | None = None  # the file's size, mtime and inode when read, if old enough

    @property
    def persons(self) -> set[str]:
        """The sources the catalogue holds as a person's text (approved or a fuzzy draft)."""
        return set(self.texts) | set(self.drafts)


def refreshed(
    held: Mapping[str, ReadCatalog], digests: Mapping[str, str], read: Callable[[str, str], ReadCatalog]
) -> tuple[dict[str, ReadCatalog], list[str]]:
    """Every catalogue in `digests` (name → digest of its file now) as `ReadCatalog`s, taken from
    `held` when the digest is the same, else `read` (name, digest); and the names read. A
    catalogue no longer on disk drops out."""
    out: dict[str, ReadCatalog] = {}
    read_now = []
    for name in sorted(digests):
        last = held.get(name)
        if last is not None and last.file == digests[name]:
            out[name] = last
        else:
            out[name] = read(name, digests[name])
            read_now.append(name)
    return out, read_now


class LocaleMemory:
    """Approved entries of all of a locale's catalogues (name → source → text)."""

    def __init__(
        self,
        catalogues: Mapping[str, Mapping[str, str]],
        drafts: Mapping[str, Mapping[str, Draft]] | None = None,
        copies: Mapping[str, Collection[str]] | None = None,
    ):
        """`copies`: per catalogue, the sources whose approved text is a copy the memory filled;
        a review itself comes before every copy of one, so where a copy came from stays the answer
        after other catalogues took copies too."""
        self.catalogues, self.copies = catalogues, copies or {}
        self._persons = {name: set(catalogues[name]) | set((drafts or {}).get(name, ())) for name in catalogues}
        self.drafts: dict[str, list[tuple[str, Draft]]] = {}
        for name in sorted(drafts or {}):
            for source, draft in drafts[name].items():
                self.drafts.setdefault(source, []).append((name, tuple(draft)))
        self._matcher: Matcher | None = None

    @cached_property
    def holders(self) -> dict[str, list[tuple[str, str]]]:
        """source → [(catalogue, text)], reviews before copies, then by catalogue name; built when
        first asked for (a run whose catalogues are all current never needs it)."""
        ranked: dict[str, list[tuple[bool, str, str]]] = {}
        for name in sorted(self.catalogues):
            copied = self.copies.get(name, ())
            for source, text in self.catalogues[name].items():
                ranked.setdefault(source, []).append((source in copied, name, text))
        return {
            source: [(name, text) for _, name, text in sorted(found, key=lambda f: f[:2])]
            for source, found in ranked.items()
        }

    @classmethod
    def of(cls, read: Mapping[str, ReadCatalog]) -> LocaleMemory:
        return cls(
            {n: c.texts for n, c in read.items()},
            {n: c.drafts for n, c in read.items()},
            {n: c.copies for n, c in read.items()},
        )

    def draft_elsewhere(self, source: str, own: str | None) -> tuple[Draft, str] | None:
        """(draft, catalogue) from the first catalogue other than `own`, by name, where a person
        left a fuzzy text for `source`."""
        for name, draft in self.drafts.get(source, ()):
            if name != own:
                return draft, name
        return None

    def elsewhere(self, source: str, own: str | None) -> tuple[str, str] | None:
        """(text, catalogue) from the first catalogue other than `own`, by name, that approved `source`."""
        for name, text in self.holders.get(source, ()):
            if name != own:
                return text, name
        return None

    def matcher(self) -> Matcher:
        """One index over every approved source of the locale, built when first asked for and
        shared by every catalogue merged in the run."""
        if self._matcher is None:
            self._matcher = Matcher(self.holders)
        return self._matcher

    def key_for(self, own: str, sources: Iterable[str], persons: Collection[str] | None = None) -> str:
        """Digest of what other catalogues approved for the `sources` that `own` does not hold as
        a person's text (`persons`: those it does; None: as the memory read `own`): part of `own`'s
        stamp, so a review elsewhere that changes what a machine entry of `own` would get merges
        it again, and nothing else does. (A source new to `own` changes `own`'s sources, so it is
        merged anyway.)"""
        if not any(texts for name, texts in self.catalogues.items() if name != own):
            return caching.key([])  # nothing approved elsewhere: `sources` need not be looked at
        if persons is None:
            persons = self.persons_in(own)
        found = []
        for source in dict.fromkeys(sources):
            if source not in persons:
                other = self.elsewhere(source, own)
                if other is not None:
                    found.append((source, *other))
        return caching.key(sorted(found))

    def persons_in(self, name: str) -> Collection[str]:
        """The sources catalogue `name` held as a person's text (approved or a fuzzy draft) when read."""
        return self._persons.get(name, ())

    def for_catalog(self, name: str, own: dict[str, str]) -> CatalogMemory:
        return CatalogMemory(own, self, name)


class CatalogMemory:
    """The reviewed memory as one catalogue's merge sees it: its own approved entries (`own`, as
    read now) first, then the locale's other catalogues (`locale`; None: the catalogue's own alone)."""

    def __init__(self, own: dict[str, str], locale: LocaleMemory | None = None, name: str | None = None):
        self.own, self.locale, self.name = own, locale, name
        self._matcher = locale.matcher() if locale is not None else None

    def get(self, source: str) -> tuple[str, str | None] | None:
        """(text, catalogue it came from; None for the catalogue's own), or None."""
        text = self.own.get(source)
        if text is not None:
            return text, None
        return self.locale.elsewhere(source, self.name) if self.locale is not None else None

    def draft(self, source: str) -> tuple[Draft, str] | None:
        """A person's fuzzy text for `source` in another catalogue, and that catalogue's name."""
        return self.locale.draft_elsewhere(source, self.name) if self.locale is not None else None

    def similar(self, new: Iterable[str], allowed: Callable[[str], bool]) -> dict[str, tuple[str, float]]:
        """`similarity.best_matches` of `new` against the approved sources `allowed` lets through."""
        if self._matcher is None:
            self._matcher = Matcher(self.own)
        matcher = self._matcher
        return matcher.best(new, lambda source: allowed(source) and self.get(source) is not None)


def own_memory(reviewed: Mapping[str, str] | CatalogMemory | None) -> CatalogMemory:
    """A catalogue's memory from what a caller gives: a plain mapping is the catalogue's own."""
    if isinstance(reviewed, CatalogMemory):
        return reviewed
    return CatalogMemory(dict(reviewed or {}))
