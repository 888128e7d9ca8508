"""The catalogue stage's side of the runner: whether a catalogue is what its inputs give (then
nothing is parsed), the template rendered when its messages changed, each catalogue merged with
its reviewers' work, files written atomically and only when their text changed, and the keys a
catalogue's stamp is checked against."""

from __future__ import annotations

from pathlib import Path

from pipeline import cache as caching
from pipeline import ledger as entries
from pipeline.catalog import pofile
from pipeline.fsutil import write_atomic
from pipeline.jobs import catalog_stage, plan_stage
from pipeline.jobs.catalog_files import CatalogFile
from pipeline.jobs.catalog_stage import CATALOG_VERSION
from pipeline.jobs.localise_stage import Localised, localise_key, localise_settings
from pipeline.jobs.plan_stage import plan_key
from pipeline.jobs.reviewed_stage import catalogue_name
from pipeline.jobs.segment_stage import Segmented
from pipeline.jobs.translate_stage import translate_key, translate_settings
from pipeline.ledger import CatalogStamp, CheckedPairs, TemplateStamp, Written
from pipeline.qa.checks import CheckContext, run_checks
from pipeline.qa.remembered import RememberedChecks, rules_key


class CatalogWrites:
    """Part of `jobs.Runner` (it reads the runner's paths, ledger, options, catalogues and report)."""

    def template(self, segmented: Segmented) -> bool:
        """The .pot, rendered only when the messages changed or the file is not what was last written."""
        pot, options = self.paths.pot(), self.options
        key = self.template_key(segmented)
        last = self.ledger.template()
        file = self.catalogs.read(pot)
        if last is not None and last.key == key and last.written.file == file.digest:
            return False
        ours = last is not None and last.written.file == file.digest and file.digest is not None
        read = file.parsed() if ours else None  # else only its header matters
        previous = read.po if read is not None else pofile.read_header(pot)
        written = last.written if last is not None else None
        rendered = catalog_stage.template(
            list(segmented.messages),
            file.text,
            previous,
            options,
            catalog_stage.written_texts(written, file.digest, read, options.wrap),
        )
        digest = self.write_file(file, rendered.text)
        self.ledger.put_template(TemplateStamp(key, Written(digest, options.wrap, rendered.digests)))
        return rendered.text is not None

    def current(self, locale: str, segmented: Segmented, localised_key: str, file: CatalogFile) -> bool:
        """True when `locale`'s catalogue and .mo are byte for byte what the catalogue stage last
        wrote from the same messages and translations: then nothing needs parsing or merging."""
        stamp = self.current_stamp(locale, segmented, localised_key, file)
        if stamp is None:
            return False
        self.report.record(locale, status=stamp, skipped=f"catalog {locale}")
        return True

    def current_stamp(
        self, locale: str, segmented: Segmented, localised_key: str, file: CatalogFile
    ) -> CatalogStamp | None:
        """The stamp of `locale`'s catalogue when it and the .mo are current (see `current`)."""
        stamp = self.ledger.catalog(locale)
        wanted = self.catalog_key(locale, segmented, localised_key)
        if (
            stamp is None
            or not stamp.accepts(wanted)
            or stamp.written.file != file.digest
            or stamp.mo != caching.file_digest(self.paths.mo(locale))
        ):
            return None
        return stamp

    def template_current(self, segmented: Segmented) -> str | None:
        """The template's digest when it is what the catalogue stage last wrote from these messages."""
        last = self.ledger.template()
        digest = caching.file_digest(self.paths.pot())
        return (
            digest
            if last is not None and last.key == self.template_key(segmented) and last.written.file == digest
            else None
        )

    def template_key(self, segmented: Segmented) -> str:
        return caching.key(segmented.key, CATALOG_VERSION, self.options.wrap, repr(self.options.project))

    def merge(
        self, locale: str, segmented: Segmented, localised: Localised, file: CatalogFile, follow: bool
    ) -> list[Path]:
        """Merge into `locale`'s catalogue and write it and its .mo where they changed.

        `follow`: every message the plan asked for was translated. The merge itself changes who
        owns some entries (a reviewed similar source makes a new entry a person's), so the next run
        plans differently from this one, yet would merge to these same files: the stamp accepts its
        key too, and the run after a daily update is a no-change run."""
        po_path, mo_path = self.paths.po(locale), self.paths.mo(locale)
        stamp = self.ledger.catalog(locale)
        existing = file.parsed()
        if existing is not None:
            self.ledger.migrated(locale, existing.po)
        context = CheckContext(locale, self.config.glossary if self.config is not None else None)
        rules = rules_key(context)
        checked = self.ledger.checked(locale, rules)
        check = RememberedChecks(
            lambda source, text: run_checks(source, text, context=context),
            checked.pairs if checked is not None else None,
        )
        messages = list(segmented.messages)
        merged = catalog_stage.merge(
            locale,
            existing,
            file.text,
            messages,
            localised.translations,
            self.options,
            check,
            catalog_stage.written_texts(
                stamp.written if stamp is not None else None, file.digest, existing, self.options.wrap
            ),
            str(po_path),
            mo_path.name,
            self.reviewed(locale, existing.po if existing is not None else None),
        )
        changed = [po_path] if merged.rendered.text is not None else []
        po_digest = self.write_file(file, merged.rendered.text)  # the merge took its entries: the file is let go
        record = self.wrote_catalog(locale, self.paths.domain, po_digest, merged.po)
        mo_digest = caching.file_digest(mo_path)
        if mo_digest != caching.bytes_digest(merged.mo):
            write_atomic(mo_path, merged.mo)
            mo_digest = caching.bytes_digest(merged.mo)
            changed.append(mo_path)
        self.report.warnings += merged.held_back
        replanned = plan_stage.plan(merged.po, messages)
        self.ledger.put(
            entries.plan(locale),
            plan_key(segmented.key, po_digest, self.ledger.migration_key(locale)),
            replanned.to_cache(),
        )
        if check.computed or checked is None or len(check.record()) != len(checked.pairs):
            self.ledger.put_checked(locale, rules, CheckedPairs(check.record()))
        following = None
        if follow and set(replanned.plan.todo) <= set(localised.translations):
            next_key = localise_key(self.config, locale, translate_key(self.config, locale, replanned))
            following = self.catalog_key(locale, segmented, next_key, record.persons if record is not None else set())
        status = merged.status
        new_stamp = CatalogStamp(
            self.catalog_key(locale, segmented, localised.key),
            Written(po_digest, self.options.wrap, merged.rendered.digests),
            mo_digest,
            status.qa_findings,
            status.reviewed,
            status.edited,
            following,
        )
        self.ledger.put_catalog(locale, new_stamp)
        self.report.record(locale, status=new_stamp)
        return changed

    # --- helpers -----------------------------------------------------------------------------

    def write_file(self, file: CatalogFile, text: str | None) -> str | None:
        """Write `text` over the catalogue file (None: it already says it), and let the file go;
        the digest of the file now, without reading it back."""
        self.catalogs.done(file.path)
        if text is None:
            return file.digest
        data = text.encode("utf-8")
        write_atomic(file.path, data)
        return caching.bytes_digest(data)

    def catalog_key(
        self, locale: str, segmented: Segmented, localised_key: str, persons: set[str] | None = None
    ) -> str:
        """What a catalogue is merged from, with what other catalogues approved for the sentences
        it holds as the pipeline's (`persons`: the sources it holds as a person's text; None: as
        the run found it), so a review elsewhere merges it again (see `reviewed_stage`)."""
        sources = (s["text"] for s in segmented.stored)  # the msgids, without building messages
        elsewhere = self.locale_memory(locale).key_for(catalogue_name(self.paths.domain), sources, persons)
        return caching.key(
            segmented.key,
            localised_key,
            CATALOG_VERSION,
            sorted(self.catalog_options().items()),
            self.ledger.migration_key(locale),
            elsewhere,
        )

    def catalog_options(self) -> dict:
        glossary = self.config.glossary if self.config is not None else None
        return {
            "purge_obsolete": self.options.purge_obsolete,
            "wrap": self.options.wrap,
            "project": repr(self.options.project),
            "glossary": glossary.digest if glossary is not None else None,
        }

    def settings_key(self, locale: str) -> str:
        """Everything but the sources and the catalogue that decides what a catalogue of `locale`
        holds: the route, the localise rules, the glossary, the catalogue options and versions
        (what a catalogue set's index is checked against, see `catalog_set`)."""
        route = self.config.route_for(locale)
        return caching.key(
            translate_settings(self.config, route),
            localise_settings(self.config, locale, route.model_id),
            CATALOG_VERSION,
            sorted(self.catalog_options().items()),
        )
