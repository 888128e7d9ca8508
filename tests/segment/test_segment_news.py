"""Sentence boundaries of the kinds news held out from the tests showed: titles, abbreviations and
initials before a name, number or day, and quotes standing apart after a stop."""

from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from pipeline.segment.splitter import split_sentences


def texts(s):
    return [s[a:b] for a, b in split_sentences(s)]


@pytest.mark.parametrize(
    "sentence",
    [
        # titles before a name
        "રેવ. જેસી જેક્સને સભાને સંબોધી.", "સેન. બર્ની સેન્ડર્સે ભાષણ આપ્યું.", "રેપ. નેન્સી પેલોસી હાજર હતાં.",
        "મિ. શાહ અને મિસિસ. શાહ આવ્યા.", "પ્રો. જોશીએ પ્રયોગ બતાવ્યો.", "ગવ. રેડ્ડી અને કેપ્ટ. મલિક મળ્યા.",
        "Rev. King અહીં બોલ્યા હતા.",
        # "for example", page, amounts
        "દા. ત. ચોખા અને ઘઉં મોંઘા થયા.", "દા.ત. ચોખા અને ઘઉં મોંઘા થયા.", "આ વિગતો પૃ. 12 પર છે.",
        "આ વિગત પૃ. ૪૫ પર છે.", "ભાડું રૂા. 500 છે.", "ભાડું રૂ. 1,200 થયું.", "કિંમત રૂા. ૭૫૦ રાખી.",
        # month abbreviations before a day
        "તા. 5 જાન્યુ. 2020ના રોજ બેઠક હતી.", "ઓક્ટ. 12ના રોજ ચૂંટણી છે.", "ડીસ. 25ના રોજ રજા છે.",
        "ફેબ્રુ. ૧૪ના રોજ મેળો છે.", "સપ્ટે. 3ના રોજ શાળા ખૂલી.", "નવે. 8ના રોજ નોટબંધી થઈ.",
        # phone, class, serial number, approximately; company and government
        "મો. 9876543210 પર સંપર્ક કરો.", "ધો. 10ની પરીક્ષા શરૂ થઈ.", "ફો. 079-2345678 પર ફોન કરો.", "ક્ર. 5 પર નામ છે.",
        "અં. 500 લોકો આવ્યા.", "ABC Pvt. Ltd. કંપની છે.",
        # single initials inside a name
        "વી. કે. સિંહ આવ્યા.", "એમ. એસ. ધોની રમ્યા.", "John J. Smith અહીં આવ્યા.", "જે. પી. નડ્ડાએ કહ્યું.",
    ],
)
def test_no_split_after_a_title_abbreviation_or_initial(sentence):
    assert texts(f"{sentence} પછી બધા ગયા.") == [sentence, "પછી બધા ગયા."]


@pytest.mark.parametrize(
    "text,expected",
    [
        ('તેણે કહ્યું, "હા. " પછી ગયા.', ['તેણે કહ્યું, "હા. "', "પછી ગયા."]),
        ('તેણે કહ્યું "હા."" પછી ગયા.', ['તેણે કહ્યું "હા.""', "પછી ગયા."]),
        ('તેણે કહ્યું, "હા." " પછી ગયા.', ['તેણે કહ્યું, "હા." "', "પછી ગયા."]),
        ('"તેણે કહ્યું "ના." " પછી ગયા.', ['"તેણે કહ્યું "ના." "', "પછી ગયા."]),
        ('આ સાચું છે. "" પછી ગયા.', ['આ સાચું છે. ""', "પછી ગયા."]),
        ('તેમણે કહ્યું, "અમે જીતીશું. " " આ ખોટું છે," વિપક્ષે કહ્યું.',
         ['તેમણે કહ્યું, "અમે જીતીશું. "', '" આ ખોટું છે," વિપક્ષે કહ્યું.']),
        ("મંત્રીએ કહ્યું, ”કામ પૂરું થયું. ” બધા ખુશ થયા.", ["મંત્રીએ કહ્યું, ”કામ પૂરું થયું. ”", "બધા ખુશ થયા."]),
        # a quote that opens the next sentence stays with it
        ('તેણે કહ્યું, "હા." "ના," બીજાએ કહ્યું.', ['તેણે કહ્યું, "હા."', '"ના," બીજાએ કહ્યું.']),
        ('આ સાચું છે. " બીજું વાક્ય છે "', ["આ સાચું છે.", '" બીજું વાક્ય છે "']),
    ],
)
def test_a_quote_after_the_stop_stays_with_the_sentence_it_closes(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ('"આ શું છે?" તેમ તેમણે પૂછ્યું. પછી ગયા.', ['"આ શું છે?" તેમ તેમણે પૂછ્યું.', "પછી ગયા."]),
        ('"અમે જીતીશું." એમ કેપ્ટને કહ્યું. મેચ શરૂ થઈ.', ['"અમે જીતીશું." એમ કેપ્ટને કહ્યું.', "મેચ શરૂ થઈ."]),
        ("મંત્રીએ “કામ ઝડપથી થશે!” એવું જણાવ્યું. બધા ખુશ થયા.", ["મંત્રીએ “કામ ઝડપથી થશે!” એવું જણાવ્યું.", "બધા ખુશ થયા."]),
        # "even so" starts a new sentence; without a quote a stop still ends one
        ('"આ સાચું છે." તેમ છતાં લોકો માન્યા નહીં.', ['"આ સાચું છે."', "તેમ છતાં લોકો માન્યા નહીં."]),
        ("આ શું છે? તેમ પૂછ્યું.", ["આ શું છે?", "તેમ પૂછ્યું."]),
    ],
)
def test_a_quote_reported_with_em_or_tem_stays_in_its_sentence(text, expected):
    assert texts(text) == expected


def test_a_sentence_may_still_end_at_a_surname_or_a_full_word():
    assert texts("શાળામાં મિસિસ શાહ ભણાવે છે. તેઓ આવ્યા.") == ["શાળામાં મિસિસ શાહ ભણાવે છે.", "તેઓ આવ્યા."]
    assert texts("આ પુસ્તક 12 પાનાનું છે. તે સારું છે.") == ["આ પુસ્તક 12 પાનાનું છે.", "તે સારું છે."]


def test_segment_command_keeps_news_sentences_whole_and_their_text_unchanged(tmp_path, capsys, monkeypatch):
    paragraph = ("રેવ. જેક્સન અને સેન. વોરને ઓક્ટ. 12ના રોજ રૂા. 5 લાખનું દાન આપ્યું. "
                 'દા. ત. વી. કે. સિંહે કહ્યું, "આ સારું છે. " પૃ. 4 પર વિગતો છે.')
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text(paragraph + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["segment", "articles", "--jsonl"]) == 0
    segments = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [s["text"] for s in segments] == [
        "રેવ. જેક્સન અને સેન. વોરને ઓક્ટ. 12ના રોજ રૂા. 5 લાખનું દાન આપ્યું.",
        'દા. ત. વી. કે. સિંહે કહ્યું, "આ સારું છે. "',
        "પૃ. 4 પર વિગતો છે.",
    ]
    assert all(paragraph[s["start"] : s["end"]] == s["text"] for s in segments)
