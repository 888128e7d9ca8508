"""The numbers check on forms it used to misread: numbers inside codes, a month without a day,
words cn2an takes for numbers, એક હજાર and નવને, measurements, a bar, seconds, shares, decades
and times before a time zone. Examples are our own.

Each right translation gets no finding and the same translation with the number changed or dropped
gets one, read directly and through `pipeline check`.
"""

from __future__ import annotations

import json
from decimal import Decimal

import polib
import pytest

from pipeline.cli import main
from pipeline.localise.dates import find_source_dates, find_target_dates, find_target_times
from pipeline.localise.numbers import find_source_numbers, find_target_numbers
from pipeline.qa.checks import check_numbers

# (Gujarati source, right translation, the translation broken)
RIGHT_AND_BROKEN = [
    # a number inside a code is held to the other side, both ways
    ("J6 હાઈવે પર અકસ્માત થયો.", "An accident happened on the J6 highway.", "An accident happened on the J2 highway."),
    ("H5N1 વાયરસના નવા કેસ મળ્યા.", "New cases of the H5N1 virus were found.", "New cases of the H5N2 virus were found."),
    ("F-16 વિમાનો આવ્યાં.", "F-16 jets arrived.", "F-15 jets arrived."),
    (
        "COVID-19ને કારણે 3 મેચ રદ થઈ.",
        "3 matches were cancelled because of COVID-19.",
        "3 matches were cancelled because of COVID-18.",
    ),
    # a month without a day
    ("એપ્રિલમાં વરસાદ પડ્યો.", "4月下了雨。", "6月下了雨。"),
    ("એપ્રિલમાં વરસાદ પડ્યો.", "四月下了雨。", "六月下了雨。"),
    (
        "ઑગસ્ટની બેઠકમાં નિર્ણય લેવાયો.",
        "The decision was taken at the August meeting.",
        "The decision was taken at the July meeting.",
    ),
    ("નવેમ્બરથી માર્ચ સુધી ઠંડી રહે છે.", "(November to March) it stays cold.", "(November to May) it stays cold."),
    ("પ્રવાસ નવેમ્બર-ફેબ્રુઆરીમાં જ થાય છે.", "Trips run only Nov-Feb.", "Trips run only Nov-Mar."),
    ("ડિસેમ્બર 2017માં પુલ ખુલ્યો.", "桥于2017年12月开通。", "桥于2017年3月开通。"),
    # words cn2an reads as numbers do not stand for a dropped one
    ("10 લોકો ઘાયલ થયા, સ્થિતિ ગંભીર છે.", "10人受伤，情况十分严重。", "有人受伤，情况十分严重。"),
    ("4 ખેલાડીઓ ગુરુવારે પાછા ફર્યા.", "4名球员周四返回。", "球员周四返回。"),
    ("1 વ્યક્તિએ ઇનામ જીત્યું.", "1人获奖。", "一些人获奖。"),
    ("તેમણે 1 ગોલથી મેચ જીતી.", "他以1球的优势一举赢得比赛。", "他以一举赢得比赛。"),
    # એક, બે before what they count; નવ with a case ending
    ("એક હજાર લોકો હાજર હતા.", "One thousand people were present.", "Many people were present."),
    ("ભાવમાં એક ટકાનો વધારો થયો.", "Prices rose by one percent.", "Prices rose slightly."),
    ("બે લાખ લોકોએ મત આપ્યો.", "Two lakh people voted.", "Many people voted."),
    ("પોલીસે નવને પકડ્યા.", "Police caught nine.", "Police caught some."),
    ("નવની ટીમ બનાવાઈ.", "A team of nine was formed.", "A team was formed."),
    # a measurement, not a code; twelve before what it counts
    ("તેની ઊંચાઈ 6-ફૂટ-4 છે.", "He is 6 feet 4 inches tall.", "He is 6 feet tall."),
    ("બાર ખેલાડીઓ પસંદ થયા.", "Twelve players were selected.", "Players were selected."),
    # seconds are part of the time
    ("ભૂકંપ 14:05:00 વાગ્યે આવ્યો.", "The earthquake struck at 2:05 pm.", "The earthquake struck at 2:15 pm."),
    ("ભૂકંપ 14:05:30 વાગ્યે આવ્યો.", "The earthquake struck at 14:05:30.", "The earthquake struck at 14:05:20."),
    # સો after digits, upper-case ordinals
    ("આ યોજના 1-સો ટકા સફળ રહી.", "The plan was 100 percent successful.", "The plan was 10 percent successful."),
    ("21 ઑક્ટોબરે ચૂંટણી થશે.", "ELECTION ON 21ST OCTOBER.", "ELECTION ON 22ND OCTOBER."),
    ("21 ઑક્ટોબરે ચૂંટણી થશે.", "The election is on 21ST October.", "The election is on 22ND October."),
    # a share as a percentage or as its two numbers
    ("20 ટકા બાળકો કુપોષિત છે.", "One in five children is malnourished.", "One in four children is malnourished."),
    ("20 ટકા બાળકો કુપોષિત છે.", "1 in 5 children is malnourished.", "1 in 4 children is malnourished."),
    ("5માંથી 1 બાળક કુપોષિત છે.", "五分之一的儿童营养不良。", "四分之一的儿童营养不良。"),
    ("5માંથી 1 બાળક કુપોષિત છે.", "20% of children are malnourished.", "25% of children are malnourished."),
    ("10 ઉમેદવારોમાંથી 7 જીત્યા.", "10名候选人中有7名获胜。", "10名候选人中有6名获胜。"),
    # decades written in words; a 24-hour time before a time zone
    ("1990ના દાયકામાં ઉદ્યોગ વધ્યો.", "该行业在上世纪九十年代发展起来。", "该行业在上世纪八十年代发展起来。"),
    ("નેવુંના દાયકામાં ઉદ્યોગ વધ્યો.", "The industry grew in the 1990s.", "The industry grew in the 1980s."),
    ("બપોરે 12 વાગ્યે મતદાન પૂરું થયું.", "Voting closed at 1200 GMT.", "Voting closed at 1300 GMT."),
    ("મતદાન 0930 GMT વાગ્યે શરૂ થયું.", "投票于9时30分开始。", "投票于10时30分开始。"),
    ("મતદાન 0930 GMT વાગ્યે શરૂ થયું.", "Voting opened at UTC 0930.", "Voting opened at UTC 1030."),
]


@pytest.mark.parametrize("source,right,broken", RIGHT_AND_BROKEN)
def test_a_right_translation_passes_and_a_broken_one_is_caught(source, right, broken):
    assert check_numbers(source, right) == []
    assert check_numbers(source, broken) != []


@pytest.mark.parametrize(
    "source,translation",
    [
        ("COVID-19ને કારણે મેચ રદ થઈ.", "因新冠疫情取消了比赛。"),  # the name translated: its digits may go
        ("કોવિડ-19 પછી બજાર સુધર્યું.", "The market recovered after the pandemic."),
        ("વિસ્તાર 20 કિમી2 છે.", "The area is 20 km2."),  # the power of a unit is no code
        ("વિસ્તાર 20 કિમી2 છે.", "The area is 20 square kilometres."),
        ("ફ્લેગ માર્ચ યોજાઈ.", "A flag march was held."),  # a march, not March
        ("12 જૂના મકાનો તોડાયા.", "12 old houses were demolished."),
        ("દસ મિનિટ પછી તે ગયો.", "十分钟后他走了。"),  # 十分钟 is ten minutes, not "very"
        ("હેમિલ્ટન વીસ પોઇન્ટ પાછળ છે.", "汉密尔顿落后二十分。"),  # 二十分: twenty points
        ("બાર પર ભીડ હતી.", "The bar was crowded."),  # a bar, not twelve
        ("એક બાર અને રેસ્ટોરન્ટ ખુલ્યાં.", "A bar and a restaurant opened."),
        ("બાર એસોસિએશનની ચૂંટણી થઈ.", "The bar association held elections."),
        ("તેમને નવ વર્ષનાં કાર્ડ મળ્યાં નહીં.", "They did not get their New Year cards."),  # નવ alone: "new"
        ("પાંચમાંથી એક વ્યક્તિ", "五分之一的人"),
        ("પાંચમાંથી એક વ્યક્તિ", "one in five people"),
        ("5માંથી 1 બાળક", "one in five children"),
        ("10 ઉમેદવારોમાંથી 7 જીત્યા.", "7 of the 10 candidates won."),
        ("80ના દાયકામાં", "上世纪八十年代"),
        ("એંશીના દાયકામાં", "in the 1980s"),
        ("સાંજે 6:30 વાગ્યે (1300 GMT) સભા હતી.", "The meeting was at 6:30 pm (1300 GMT)."),
    ],
)
def test_forms_that_used_to_raise_a_false_alarm(source, translation):
    assert check_numbers(source, translation) == []


def test_a_month_alone_is_read_as_a_month_on_both_sides():
    assert [(d.month, d.day, d.year) for d in find_source_dates("માર્ચમાં અને ઑગસ્ટની વચ્ચે")] == [
        (3, None, None),
        (8, None, None),
    ]
    assert find_source_dates("જૂનાગઢમાં મેં જોયું") == []  # જૂનાગઢ is a city, મેં is "I"
    assert [d.month for d in find_target_dates("(November to March), Nov-Feb, in May")] == [11, 3, 11, 2, 5]
    assert find_target_dates("May we come?") == []


def test_times_keep_their_seconds_and_read_a_time_zone():
    assert [(t.hour, t.minute, t.second) for t in find_target_times("at 09:19:45 and 1730 GMT")] == [
        (9, 19, 45),
        (5, 30, 0),
    ]
    assert [n.value for n in find_source_numbers("સવારે 09:19:00 વાગ્યે") if not n.soft] == [9, 19]


def test_codes_are_named_and_measurements_are_not():
    named = {n.text: n.named for n in find_target_numbers("J6 and H5N1 and 20 km2", words=False)}
    assert named == {"6": True, "5": True, "1": True, "20": False, "2": False}
    assert [n.named for n in find_source_numbers("6-ફૂટ-6 અને કોવિડ-19") if n.start >= 0] == [False, False, True]


def test_a_share_reads_as_its_percentage():
    shares = [n for n in find_target_numbers("one in five") if n.kind == "share"]
    assert [(n.value, n.parts) for n in shares] == [(Decimal(20), (Decimal(5), Decimal(1)))]


def test_pipeline_check_flags_each_broken_translation_and_passes_the_right_ones(tmp_path, capsys):
    def catalogue(name, column):
        po = polib.POFile(wrapwidth=0)
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        for i, row in enumerate(RIGHT_AND_BROKEN):
            po.append(polib.POEntry(msgctxt=str(i), msgid=row[0], msgstr=row[column]))
        po.save(str(tmp_path / name))
        return str(tmp_path / name)

    assert main(["check", catalogue("right.po", 1), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["check", catalogue("broken.po", 2), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert {f["msgctxt"] for f in findings if f["check"] == "numbers"} == {str(i) for i in range(len(RIGHT_AND_BROKEN))}
