"""The work directory's ledger: entries read back as the values written, and a work directory an
earlier version left read through one migration (pipeline.ledger)."""

from __future__ import annotations

import json

import polib
import pytest

from pipeline import ledger as entries
from pipeline.catalog import entry
from pipeline.catalog.entry import State
from pipeline.ledger import CatalogStamp, CheckedPairs, Ledger, TemplateStamp, Written, migrate_legacy_owned


def old_entry(text: str = "One.") -> polib.POEntry:
    """A machine entry as versions before digests wrote it: the model's note, no digest."""
    return polib.POEntry(msgid="એક.", msgstr=text, flags=["fuzzy"], comment="machine translation: tiny@1")


@pytest.mark.parametrize(
    "record,expected",
    [
        ({"એક.": "One."}, State.MACHINE),  # the very text recorded: the pipeline's
        ({"એક.": "Other."}, State.EDITED),  # edited since
        ({}, State.EDITED),  # not listed: maybe a digest-era entry whose note a person removed
        (None, State.EDITED),  # no record: nothing shows it is the machine's
    ],
)
def test_entries_written_before_digests_follow_the_old_record_or_count_as_a_persons(record, expected):
    po = polib.POFile()
    po.append(old_entry())
    migrate_legacy_owned(po, record)
    assert entry.state(po[0]) is expected


def test_an_entry_with_a_digest_is_not_migrated_even_if_the_record_lists_it():
    e = old_entry("Edited.")
    e.tcomment = entry.machine_note("One.")  # written with a digest, then edited by a person
    po = polib.POFile()
    po.append(e)
    migrate_legacy_owned(po, {"એક.": "Edited."})
    assert e.tcomment == entry.machine_note("One.") and entry.state(e) is State.EDITED


def test_the_ledger_reads_the_old_record_of_its_locale_and_keys_by_it(tmp_path):
    ledger = Ledger(tmp_path)
    assert ledger.migration_key("en") is None
    (tmp_path / "owned-en.json").write_text(json.dumps({"એક.": "One."}), encoding="utf-8")
    po = polib.POFile()
    po.append(old_entry())
    assert entry.state(ledger.migrated("zh_Hans", po)[0]) is State.EDITED  # another locale's record
    assert entry.state(ledger.migrated("en", po)[0]) is State.MACHINE
    assert ledger.migration_key("en") is not None and ledger.migration_key("zh_Hans") is None


def test_stamps_read_back_as_written(tmp_path):
    ledger = Ledger(tmp_path)
    stamp = CatalogStamp("k1", Written("po-digest", True, ["a", "b"]), "mo-digest", 3, 2, 1, next="k2")
    ledger.put_catalog("en", stamp)
    assert ledger.catalog("en") == stamp and ledger.catalog("en").accepts("k2")
    ledger.put_catalog("zh_Hans", CatalogStamp("k", Written(None), None))  # no next key: none stored
    assert "next" not in json.loads(entries.catalog("zh_Hans").file(tmp_path).read_text(encoding="utf-8"))
    template = TemplateStamp("t", Written("pot-digest", False, []))
    ledger.put_template(template)
    assert ledger.template() == template
    ledger.put_checked("en", "rules", CheckedPairs({"pair": [["numbers", "x"]]}))
    assert ledger.checked("en", "rules") == CheckedPairs({"pair": [["numbers", "x"]]})
    assert ledger.checked("en", "other rules") is None


def test_a_damaged_entry_reads_as_none_and_a_damaged_stamp_matches_nothing(tmp_path):
    ledger = Ledger(tmp_path)
    entries.catalog("en").file(tmp_path).write_text("{not json", encoding="utf-8")
    assert ledger.catalog("en") is None
    entries.TEMPLATE.file(tmp_path).write_text('{"pot": 5, "entries": "x"}', encoding="utf-8")
    assert ledger.template() == TemplateStamp(None, Written(5, None, "x"))
    entries.SEGMENTS.file(tmp_path).write_text('["a list"]', encoding="utf-8")
    assert ledger.segments_key() is None


def test_an_entry_in_an_older_form_is_rewritten_once(tmp_path):
    """A plan from before its content key was kept is read and stored with it, once."""
    from pipeline.jobs.plan_stage import Planned

    ledger = Ledger(tmp_path)
    file = entries.plan("en").file(tmp_path)
    file.write_text(json.dumps({"todo": ["એક."], "kept": 0, "key": "k"}), encoding="utf-8")
    planned = ledger.load(entries.plan("en"), "k", Planned.from_cache, Planned.to_cache)
    assert planned.plan.todo == ("એક.",)
    stored = json.loads(file.read_text(encoding="utf-8"))
    assert stored["content"] == planned.key and stored["key"] == "k"
    before = file.stat().st_mtime_ns
    assert ledger.load(entries.plan("en"), "k", Planned.from_cache, Planned.to_cache) == planned
    assert file.stat().st_mtime_ns == before
    assert ledger.load(entries.plan("en"), "other", Planned.from_cache, Planned.to_cache) is None


def test_an_obsolete_entry_the_old_record_proves_ours_keeps_the_note_it_gets(tmp_path):
    """Upgraded once: the merge writes the obsolete entry with today's note, so a fresh clone
    (no record) still knows the text is the machine's if its source comes back."""
    from pipeline.catalog import merge, pofile
    from pipeline.model import Segment

    path = tmp_path / "en" / "LC_MESSAGES" / "messages.po"
    po = polib.POFile()
    kept = old_entry("One.")
    kept.obsolete = True
    po.append(kept)
    pofile.save_catalog(path, po, "en")
    (tmp_path / "owned-en.json").write_text(json.dumps({"એક.": "One."}), encoding="utf-8")
    messages = pofile.collect_messages([Segment("a.txt", 0, 0, "બે.", 0, 3)])
    existing = Ledger(tmp_path).migrated("en", pofile.read_po(path))
    pofile.save_catalog(path, merge.merge_catalog(existing, messages, {}), "en", existing)
    written = {e.msgid: e for e in pofile.read_po(path)}["એક."]
    assert written.obsolete and entry.written_digest(written) == entry.digest("One.")
    written.obsolete = False
    assert entry.state(written) is State.MACHINE
