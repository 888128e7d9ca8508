"""Django loads the catalogues through its own translation machinery, from the `django` domain
only: `pipeline run --domain django`, then LOCALE_PATHS pointing at the folder (README)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import polib

SENTENCE = "રાજ્ય સરકારે નવી યોજના જાહેર કરી."
REVIEWED = {"en": "The state government announced a new scheme.", "zh_Hans": "邦政府宣布了一项新计划。"}

# Django configured the way a site does, in a process of its own (settings are per process).
DJANGO = textwrap.dedent("""
    import json, sys
    import django
    from django.conf import settings
    settings.configure(USE_I18N=True, LOCALE_PATHS=[sys.argv[1]], INSTALLED_APPS=[],
                       LANGUAGES=[("en", "English"), ("zh-hans", "Simplified Chinese")])
    django.setup()
    from django.utils import translation
    out = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            out[language] = translation.gettext(sys.argv[2])
    print(json.dumps(out, ensure_ascii=False))
""")


def django_gettext(locale_path: Path, msgid: str) -> dict[str, str]:
    proc = subprocess.run(
        [sys.executable, "-c", DJANGO, str(locale_path), msgid],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_django_serves_reviewed_strings_from_the_django_domain(tmp_path, tiny_models, pipeline):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "news.txt").write_text(f"{SENTENCE}\nઆ વાક્ય હજી સમીક્ષામાં છે.\n", encoding="utf-8")
    locales, work = tmp_path / "locales", tmp_path / "work"
    common = ["--locales", locales, "--workdir", work]
    pipeline("run", articles, "--to", "en,zh_Hans", "--models", tiny_models, "--domain", "django", *common)
    for locale, translation in REVIEWED.items():
        po_path = locales / locale / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(po_path))
        entry = po.find(SENTENCE)
        entry.msgstr = translation
        entry.flags.remove("fuzzy")
        po.save()
    pipeline(
        "export", "--format", "mo", "--locale", "en,zh_Hans", "--domain", "django", "--out", tmp_path / "dist", *common
    )
    assert django_gettext(tmp_path / "dist", SENTENCE) == {"en": REVIEWED["en"], "zh-hans": REVIEWED["zh_Hans"]}
    # Awaiting review: not shipped, Django shows the source.
    pending = "આ વાક્ય હજી સમીક્ષામાં છે."
    assert django_gettext(tmp_path / "dist", pending) == {"en": pending, "zh-hans": pending}
    # The catalogue folder itself is a LOCALE_PATHS entry once a run has compiled the review.
    pipeline("run", articles, "--to", "en,zh_Hans", "--models", tiny_models, "--domain", "django", *common)
    assert django_gettext(locales, SENTENCE) == {"en": REVIEWED["en"], "zh-hans": REVIEWED["zh_Hans"]}


def test_django_ignores_the_default_messages_domain(tmp_path, tiny_models, pipeline):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "news.txt").write_text(SENTENCE + "\n", encoding="utf-8")
    locales, work = tmp_path / "locales", tmp_path / "work"
    pipeline(
        "run",
        articles,
        "--to",
        "en",
        "--models",
        tiny_models,
        "--locales",
        locales,
        "--workdir",
        work,
        "--domain",
        "messages",
    )
    po_path = locales / "en" / "LC_MESSAGES" / "messages.po"
    po = polib.pofile(str(po_path))
    po.find(SENTENCE).msgstr, po.find(SENTENCE).flags = REVIEWED["en"], []
    po.save()
    pipeline(
        "export",
        "--format",
        "mo",
        "--locale",
        "en",
        "--out",
        tmp_path / "dist",
        "--locales",
        locales,
        "--workdir",
        work,
    )
    assert django_gettext(tmp_path / "dist", SENTENCE)["en"] == SENTENCE  # why the README says --domain django
