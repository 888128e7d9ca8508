"""Exact output through the real model code: a tiny NLLB trained on a few pairs with numbers."""

from __future__ import annotations

import polib


def test_numbers_reach_each_catalogue_in_the_locale_form(tmp_path, trained_model, pipeline):
    article = tmp_path / "news.txt"
    article.write_text(
        "દેશભરમાં લગભગ ૩,૦૦,૦૦૦ સમુદાયો બનાવવામાં આવ્યા છે. કુલ 5026 ચોકીઓ બનાવવામાં આવી છે.\n"
        "દરરોજ 740000 પોલીસ કર્મચારીઓ પેટ્રોલિંગ કરે છે.\n",
        encoding="utf-8",
    )
    pipeline("run", article, "--to", "en,en_IN,zh_Hans", "--models", trained_model, cwd=tmp_path)

    def catalogue(locale):
        po = polib.pofile(str(tmp_path / "locales" / locale / "LC_MESSAGES" / "messages.po"))
        return {e.msgid: e for e in po}

    en, en_in, zh = catalogue("en"), catalogue("en_IN"), catalogue("zh_Hans")
    first = "દેશભરમાં લગભગ ૩,૦૦,૦૦૦ સમુદાયો બનાવવામાં આવ્યા છે."
    assert en[first].msgstr == "About 300,000 communities have been built nationwide."
    assert en_in[first].msgstr == "About 3,00,000 communities have been built nationwide."
    assert zh[first].msgstr == "全国已建成约30万个社区。"
    second = "કુલ 5026 ચોકીઓ બનાવવામાં આવી છે."
    assert en[second].msgstr == "A total of 5,026 checkpoints have been built."
    assert zh[second].msgstr == "共建成5026个检查站。"
    third = "દરરોજ 740000 પોલીસ કર્મચારીઓ પેટ્રોલિંગ કરે છે."
    assert zh[third].msgstr == "每天有74万名警察执勤。"
    for entries in (en, en_in, zh):
        for entry in entries.values():
            assert entry.fuzzy and "qa:" not in entry.comment  # right by value: no finding
