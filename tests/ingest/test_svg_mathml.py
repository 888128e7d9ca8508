"""Text inside inline SVG (`<text>`, `<title>`, `<desc>`) and MathML (`<mtext>`) in an HTML
source, through the `pipeline` command: segmented and translated like any other text, and put
back in place on export, where a sentence left in Gujarati says so with `lang` (no HTML `<span>`
inside SVG or MathML, where a browser would not show it)."""

from __future__ import annotations

import json

import lxml.html

PAGE = """<!DOCTYPE html>
<html><head><title>નકશો</title></head><body>
<p>ગુજરાત ભારતનું રાજ્ય છે. <svg width="100" height="20"><title>ગુજરાતનો નકશો</title><text x="0" y="15">અમદાવાદ \
શહેર <tspan font-weight="bold">મોટું</tspan> છે.</text><desc>રાજ્યનો નકશો.</desc></svg> તે પશ્ચિમમાં છે.</p>
<p>ક્ષેત્રફળ: <math><mtext>લંબાઈ ગુણ્યા પહોળાઈ</mtext><mo>×</mo><mi>x</mi></math></p>
</body></html>
"""
CITY = "અમદાવાદ શહેર <1>મોટું</1> છે."


def test_svg_and_mathml_text_is_segmented_and_put_back_translated(tmp_path, pipeline):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "map.html").write_text(PAGE, encoding="utf-8")
    proc = pipeline("segment", "articles", "--jsonl", cwd=tmp_path)
    texts = [json.loads(line)["text"] for line in proc.stdout.splitlines()]
    assert CITY in texts and "રાજ્યનો નકશો." in texts and "લંબાઈ ગુણ્યા પહોળાઈ" in texts, texts
    assert "x" not in texts and "×" not in texts  # MathML symbols are no text

    pipeline("segment", "articles", cwd=tmp_path)  # the sources copy export rebuilds from
    po = tmp_path / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
        f'msgid "{CITY}"\nmsgstr "Ahmedabad is a <1>big</1> city."\n\n'
        'msgid "લંબાઈ ગુણ્યા પહોળાઈ"\nmsgstr "length times width"\n',
        encoding="utf-8",
    )
    proc = pipeline("export", "--format", "html", "--to", "en", cwd=tmp_path)
    page = lxml.html.fromstring((tmp_path / "dist" / "en" / "map.html").read_bytes())
    text = page.find(".//svg/text")
    assert lxml.html.tostring(text, encoding="unicode").startswith(
        '<text x="0" y="15">Ahmedabad is a <tspan font-weight="bold">big</tspan> city.</text>'
    )
    desc = page.find(".//svg/desc")
    assert desc.text == "રાજ્યનો નકશો." and desc.get("lang") == "gu" and not len(desc)  # no <span> in SVG
    assert page.find(".//math/mtext").text == "length times width"
