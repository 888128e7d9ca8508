"""`pipeline serve` through real HTTP, on both backends: LibreTranslate's endpoints, its clients
(libretranslatepy, Weblate), the errors, many clients at once, and the same text `run` writes."""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import socket
import subprocess
import sys
import time

import httpx
import polib
import pytest
from conftest import KEY, ROOT, Server, flores, models_file, one_sentence_lines
from libretranslatepy import LibreTranslateAPI

BACKENDS = ["transformers", "ctranslate2"]
SENTENCE = "આ એક વાક્ય છે."
GLOSSARY = ROOT / "examples" / "glossary.csv"


@pytest.fixture(scope="module", params=BACKENDS)
def served(request, tiny_models, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"serve-{request.param}")
    models = models_file(tiny_models, folder, request.param)
    (folder / "keys.txt").write_text(f"# reviewers' tools\n{KEY}\n\nsecond-key\n", encoding="utf-8")
    server = Server(
        [
            "--models",
            models,
            "--glossary",
            GLOSSARY,
            "--api-keys",
            "keys.txt",
            "--max-texts",
            "20",
            "--max-chars",
            "2000",
            "--max-body",
            "65536",
        ],
        cwd=folder,
    )
    server.folder, server.models = folder, models
    yield server
    assert server.stop() == 0, server.log
    assert "Traceback" not in server.log, server.log


def translate(server: Server, q, target="en", **fields):
    response = server.post({"q": q, "source": "gu", "target": target, "api_key": KEY, **fields})
    assert response.status_code == 200, response.text
    return response.json()


def test_languages_lists_gujarati_and_every_routed_target_without_a_key(served):
    response = served.client.get("/languages")
    assert response.status_code == 200
    assert response.json() == [
        {"code": "gu", "name": "Gujarati", "targets": ["en", "zh-Hans", "zh-Hant"]},
        {"code": "en", "name": "English", "targets": []},
        {"code": "zh-Hans", "name": "Chinese (Simplified)", "targets": []},
        {"code": "zh-Hant", "name": "Chinese (Traditional)", "targets": []},
    ]
    health = served.client.get("/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"


def test_q_as_a_string_or_a_list_answers_in_the_same_shape(served):
    lines = flores(0, 3)
    alone = [translate(served, line)["translatedText"] for line in lines]
    assert all(isinstance(t, str) and t for t in alone)
    both = translate(served, [lines[0], "", lines[1], "  ", lines[2]])
    assert both["translatedText"] == [alone[0], "", alone[1], "  ", alone[2]]
    assert len(both["confidence"]) == 5 and both["confidence"][1] is None
    assert 0 < both["confidence"][0] <= 1
    assert all(isinstance(f, list) for f in both["findings"])
    assert "detectedLanguage" not in both and "alternatives" not in both


def test_a_text_of_several_lines_and_sentences_keeps_its_layout(served):
    one, two = flores(3, 2)
    together = translate(served, f"{one}\n\n  {two}\n")["translatedText"]
    first, second = (translate(served, line)["translatedText"] for line in (one, two))
    assert together == f"{first}\n\n  {second}\n"


def test_target_codes_as_clients_write_them(served):
    hans = [translate(served, SENTENCE, code)["translatedText"] for code in ("zh-Hans", "zh", "zh_Hans", "ZH-hans")]
    hant = [translate(served, SENTENCE, code)["translatedText"] for code in ("zh-Hant", "zt", "zh_TW")]
    assert len(set(hans)) == 1 and len(set(hant)) == 1
    assert hans[0] != hant[0]  # the script is part of the target: never one for the other


def test_source_auto_is_gujarati_and_says_so(served):
    body = translate(served, [SENTENCE], source="auto", alternatives=2)
    assert body["detectedLanguage"] == [{"confidence": 100.0, "language": "gu"}]
    assert body["alternatives"] == [[]]  # beam search keeps one: none to offer
    assert body["translatedText"] == [translate(served, SENTENCE)["translatedText"]]


def test_libretranslatepy_the_real_client_form_encoded(served):
    client = LibreTranslateAPI(served.url, api_key=KEY)
    assert client.translate(SENTENCE, "gu", "zh-Hans") == translate(served, SENTENCE, "zh-Hans")["translatedText"]
    assert [lang["code"] for lang in client.languages()] == ["gu", "en", "zh-Hans", "zh-Hant"]
    # a form may repeat q: every text is translated, none dropped
    repeated = served.post(data={"q": [SENTENCE, flores(5, 1)[0]], "source": "gu", "target": "en", "api_key": KEY})
    assert repeated.json()["translatedText"] == [
        translate(served, t)["translatedText"] for t in (SENTENCE, flores(5, 1)[0])
    ]


WEBLATE_HEADERS = {"Referer": "https://weblate.example.org/", "Accept": "application/json; charset=utf-8"}


def test_weblate_adds_the_service_and_asks_in_its_exact_shape(served):
    """weblate/machinery/libretranslate.py: GET languages, then (the configuration check) en→de
    "test" with the key, then batches of up to 20 as {"api_key", "q": [...], "source", "target"}."""
    codes = [x["code"] for x in httpx.get(f"{served.url}/languages", headers=WEBLATE_HEADERS).json()]
    check = httpx.post(
        f"{served.url}/translate",
        headers=WEBLATE_HEADERS,
        json={"api_key": KEY, "q": ["test"], "source": "en", "target": "de"},
    )
    assert check.status_code == 200
    assert check.json()["translatedText"] == [""]  # nothing pretends to be German
    assert "gu only" in check.json()["detail"]
    english = httpx.post(
        f"{served.url}/translate",
        headers=WEBLATE_HEADERS,
        json={"api_key": KEY, "q": ["Hello"], "source": "en", "target": "zh-Hans"},
    )
    assert english.status_code == 400  # Weblate lists en and zh-Hans, so it may ask: it gets an error, not ""
    batch = flores(10, 20)
    real = httpx.post(
        f"{served.url}/translate",
        headers=WEBLATE_HEADERS,
        timeout=20,
        json={"api_key": KEY, "q": batch, "source": "gu", "target": "zh-Hans"},
    )
    assert real.status_code == 200
    assert real.json()["translatedText"] == translate(served, batch, "zh-Hans")["translatedText"]
    assert {"gu", "zh-Hans"} <= set(codes)


def test_html_fragments_come_back_as_fragments_and_pages_as_pages(served):
    fragment = f"<p>{SENTENCE} <b>{flores(7, 1)[0]}</b></p><ul><li>{flores(8, 1)[0]}</li></ul>"
    out = translate(served, fragment, format="html")["translatedText"]
    assert out.startswith("<p>") and out.endswith("</li></ul>") and "<b>" in out and "<html" not in out
    # every sentence translated: each is what the model gives it as a plain text (the tiny random
    # model's output may hold Gujarati letters, so their absence proves nothing)
    for sentence in (SENTENCE, flores(8, 1)[0]):
        assert translate(served, sentence)["translatedText"] in out
    page = f"<!DOCTYPE html><html><head><title>{SENTENCE}</title></head><body><p>{SENTENCE}</p></body></html>"
    whole = translate(served, page, format="html")["translatedText"]
    assert whole.startswith("<!DOCTYPE html>") and 'lang="en"' in whole and "<title>" in whole


def markup(html: str) -> list[str]:
    """Every tag and comment of `html`, in order (translated text is escaped: it adds none)."""
    return re.findall(r"<!--.*?-->|</?[a-zA-Z][^\s/>]*", html, re.S)


FRAGMENTS = [
    f"<style>p {{ color: red }}</style><p>{SENTENCE}</p>",
    f"<script>var x = 1;</script><p>{SENTENCE}</p>",
    f"<!-- from the CMS --><p>{SENTENCE}</p><!-- end -->",
    f"<p>{SENTENCE} <svg><title>{SENTENCE}</title></svg></p>",  # an inline SVG's title makes no page
    f'<meta charset="utf-8"><title>{SENTENCE}</title>\n<p>{SENTENCE}</p>\n',
    '<frameset cols="50%,50%"><frame src="a.html"><frame src="b.html"></frameset>',
    f"<p>{SENTENCE}</p></body><p>{SENTENCE}</p>",  # a stray end tag ends nothing in a fragment
    f"<p>{SENTENCE}</p><p>&lt;&gt; &amp; &#169; 2024</p>",  # entities: text, escaped as text again
    f"<p>{SENTENCE}</p><xmp><b>{SENTENCE}</b> &</xmp>",  # raw text: shown as written, never translated
]


def test_an_html_fragment_comes_back_a_fragment_with_every_node(served):
    out = translate(served, FRAGMENTS, format="html")["translatedText"]
    for source, text in zip(FRAGMENTS, out):
        assert markup(text) == [m for m in markup(source) if m != "</body"], (source, text)
        assert SENTENCE not in text.split("<xmp>")[0], text  # translated, not passed through
    assert out[0].startswith("<style>p { color: red }</style><p>") and out[1].startswith("<script>var x = 1;</script>")
    assert out[2].startswith("<!-- from the CMS --><p>") and out[2].endswith("</p><!-- end -->")
    assert out[4].endswith("</p>\n") and out[5] == FRAGMENTS[5]
    assert out[7].endswith("</p><p>&lt;&gt; &amp; \u00a9 2024</p>")
    assert out[8].endswith(f"</p><xmp><b>{SENTENCE}</b> &</xmp>")


@pytest.mark.parametrize(
    "body, status, message",
    [
        ({"q": SENTENCE, "source": "gu", "target": "en"}, 403, "API key is required"),
        ({"q": SENTENCE, "source": "gu", "target": "en", "api_key": "guess"}, 403, "Invalid API key"),
        ({"source": "gu", "target": "en", "api_key": KEY}, 400, "missing q"),
        ({"q": SENTENCE, "target": "en", "api_key": KEY}, 400, "missing source"),
        ({"q": SENTENCE, "source": "gu", "api_key": KEY}, 400, "missing target"),
        ({"q": [SENTENCE, 3], "source": "gu", "target": "en", "api_key": KEY}, 400, "list of strings"),
        ({"q": [SENTENCE] * 21, "source": "gu", "target": "en", "api_key": KEY}, 400, "exceeds text limit (20)"),
        ({"q": ["ક" * 2001], "source": "gu", "target": "en", "api_key": KEY}, 400, "q[0] has 2,001 characters"),
        ({"q": SENTENCE, "source": "gu", "target": "fr", "api_key": KEY}, 400, "fr is not supported"),
        ({"q": SENTENCE, "source": "gu", "target": "xx-nope", "api_key": KEY}, 400, "is not supported"),
        ({"q": SENTENCE, "source": "gu", "target": ["en"], "api_key": KEY}, 400, "target must be a language code"),
        ({"q": SENTENCE, "source": "gu", "target": "en", "format": "pdf", "api_key": KEY}, 400, "pdf format"),
        ({"q": SENTENCE, "source": "gu", "target": "en", "alternatives": "two", "api_key": KEY}, 400, "not a number"),
        ({"q": "<b>" * 600, "source": "gu", "target": "en", "format": "html", "api_key": KEY}, 400, "nested"),
    ],
)
def test_bad_requests_get_json_errors(served, body, status, message):
    response = served.post(body)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_malformed_bodies_and_protocol_errors_get_answers_not_tracebacks(served):
    def error(response, status):
        assert response.status_code == status, response.text
        return response.json()["error"]

    assert "Invalid JSON format: Expecting property name" in error(
        served.post(content=b"{bad", headers={"Content-Type": "application/json"}), 400
    )
    assert "not valid UTF-8" in error(
        served.post(content=b'{"q": "\xff"}', headers={"Content-Type": "application/json"}), 400
    )
    assert "JSON object" in error(served.post(content=b"[1, 2]", headers={"Content-Type": "application/json"}), 400)
    for field in ("q", "target", "api_key"):
        body = {"q": SENTENCE, "source": "gu", "target": "en", "api_key": KEY, field: "\ud800"}
        lone = json.dumps(body).encode()  # ASCII JSON spelling a lone surrogate
        assert "lone surrogate" in error(served.post(content=lone, headers={"Content-Type": "application/json"}), 400)
    assert "not valid UTF-8" in error(
        served.post(
            content=b"q=%FF&source=gu&target=en&api_key=" + KEY.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        400,
    )
    assert "unsupported content type" in error(served.post(content=b"x", headers={"Content-Type": "text/csv"}), 415)
    declared = served.post(content=b"{" + b" " * 70_000 + b"}", headers={"Content-Type": "application/json"})
    assert "70,002 bytes; the limit is 65,536" in error(declared, 413)
    streamed = served.post(content=(b" " * 10_000 for _ in range(7)), headers={"Content-Type": "application/json"})
    assert "exceeds the limit of 65,536 bytes" in error(streamed, 413)
    assert error(served.client.get("/translate"), 405)
    assert error(served.client.get("/nothing/here"), 404)
    deep = json.dumps({"q": [[[]]] * 3}).replace("[]", "[" * 5000 + "]" * 5000)
    assert error(served.post(content=deep.encode(), headers={"Content-Type": "application/json"}), 400)
    host, port = served.url.removeprefix("http://").split(":")
    for raw in (b"GARBAGE\r\n\r\n", b'POST /translate HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{"q"'):
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(raw)  # a broken request line; a body cut off by a client that goes away
    assert served.client.get("/health").status_code == 200


def test_many_concurrent_clients_each_get_their_own_translation(served, tiny_models):
    """32 clients at once, each with its own sentences: every answer is the one-path translation
    of its own text (computed here without the server), and the server batched them."""
    from pipeline.config import load_config
    from pipeline.mt import load_translator
    from pipeline.translate import translate_now

    texts = one_sentence_lines(flores(40, 120))[:64]
    before = served.stats()
    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        answers = list(pool.map(lambda t: translate(served, t, "zh-Hans")["translatedText"], texts))
    after = served.stats()
    config = load_config(served.models).with_glossary(GLOSSARY)
    expected = translate_now(
        load_translator(config.route_for("zh_Hans")),
        texts,
        "zh_Hans",
        config.locale_options("zh_Hans").number_style,
        config.glossary,
    )
    assert answers == [expected[t].text for t in texts]
    calls = after["modelCalls"] - before["modelCalls"]
    assert after["modelSentences"] - before["modelSentences"] == len(texts)
    assert calls < len(texts) and after["largestBatch"] > 1  # requests shared model calls


def test_served_sentences_are_what_run_writes_and_share_its_memory(served, pipeline):
    """Serve first, run after (run reuses what was served); run first, serve after (answered from
    the memory, no model call); and a whole text as export rebuilds it from the catalogue."""
    first = one_sentence_lines(flores(200, 40))[:3] + ["જાહેર સુરક્ષા મંત્રાલયે ચીનના 3,00,000 શહેરોની મુલાકાત લીધી."]
    later = one_sentence_lines(flores(240, 40))[:3]
    early = translate(served, first)["translatedText"]
    fixed = translate(served, first[-1])  # the glossary's fixed term is put back, or reported missing
    assert "Ministry of Public Security" in fixed["translatedText"] or any(
        f["check"] == "terminology" and "Ministry of Public Security" in f["message"] for f in fixed["findings"]
    )
    article = served.folder / "articles" / "news.txt"
    article.parent.mkdir()
    article.write_text("\n\n".join(first + later) + "\n", encoding="utf-8")
    proc = pipeline(
        "run", "articles", "--to", "en", "--models", served.models, "--glossary", GLOSSARY, cwd=served.folder
    )
    assert f"en: {len(later)} translated by" in proc.stdout and f"{len(first)} reused from memory" in proc.stdout
    po = polib.pofile(str(served.folder / "locales" / "en" / "LC_MESSAGES" / "messages.po"))
    written = {e.msgid: e.msgstr for e in po if not e.obsolete}
    assert early == [written[s] for s in first]
    before = served.stats()
    assert translate(served, later)["translatedText"] == [written[s] for s in later]
    assert served.stats()["modelSentences"] == before["modelSentences"]  # all from the memory
    pipeline("export", "--format", "txt", "--to", "en", "--include-fuzzy", cwd=served.folder)
    rebuilt = (served.folder / "dist" / "en" / "news.txt").read_text(encoding="utf-8")
    assert translate(served, article.read_text(encoding="utf-8"))["translatedText"] == rebuilt


def test_a_run_and_the_server_share_the_work_directory_at_the_same_time(served):
    """Neither waits for the other: requests keep being answered while a run translates into
    the same memory, and the run finishes normally with everything either of them made."""
    article = served.folder / "daily" / "today.txt"
    article.parent.mkdir()
    article.write_text("\n".join(one_sentence_lines(flores(120, 80))) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            "daily",
            "--to",
            "zh_Hant",
            "--models",
            served.models,
            "--glossary",
            str(GLOSSARY),
            "--locales",
            "daily-locales",
        ],
        cwd=served.folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    answered, slowest = [], 0.0
    texts = iter(one_sentence_lines(flores(280, 20)))
    while run.poll() is None:
        text = next(texts, None)
        if text is None:
            break
        start = time.monotonic()
        answered.append((text, translate(served, text, "zh-Hant")["translatedText"]))
        slowest = max(slowest, time.monotonic() - start)
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert answered and slowest < 10
    po = polib.pofile(str(served.folder / "daily-locales" / "zh_Hant" / "LC_MESSAGES" / "messages.po"))
    written = {e.msgid: e.msgstr for e in po if not e.obsolete}
    assert translate(served, [t for t, _ in answered], "zh-Hant")["translatedText"] == [a for _, a in answered]
    some = list(written)[:10]
    assert translate(served, some, "zh-Hant")["translatedText"] == [written[m] for m in some]
