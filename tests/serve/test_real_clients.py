"""The service driven by the real clients people point at a LibreTranslate server: deep-translator,
libretranslatepy, and a web page from another origin in headless Chromium. test_clients.py
replays the requests these clients send; here the clients themselves send them, so a change in
how they talk (a new release) or in how we answer shows up as the failure a user would see."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import threading
import uuid

import lxml.html
import pytest
from conftest import KEY, Server, flores, models_file, wait_until
from deep_translator import LibreTranslator
from deep_translator.exceptions import AuthorizationException, LanguageNotSupportedException, ServerException
from libretranslatepy import LibreTranslateAPI

SENTENCE = "આ એક વાક્ય છે."


@pytest.fixture
def served(keyed_server):
    return keyed_server


def service_answer(server: Server, q, target: str = "en"):
    """What the service answers a plain JSON request: what each client must hand back."""
    response = server.post({"q": q, "source": "gu", "target": target, "api_key": KEY})
    assert response.status_code == 200, response.text
    return response.json()["translatedText"]


def test_deep_translator_translates_a_sentence_and_a_batch(served):
    """deep-translator's list of LibreTranslate languages has no Gujarati: it is used with source
    "auto" (which this service takes as Gujarati, refusing text that is not)."""
    start = len(served.log)
    translator = LibreTranslator(source="auto", target="en", api_key=KEY, custom_url=served.url + "/")
    assert translator.translate(SENTENCE) == service_answer(served, SENTENCE)
    batch = flores(10, 3)
    assert translator.translate_batch(batch) == service_answer(served, batch)
    chinese = LibreTranslator(source="auto", target="zh", api_key=KEY, custom_url=served.url + "/")
    assert chinese.translate(SENTENCE) == service_answer(served, SENTENCE, "zh-Hans")
    with pytest.raises(LanguageNotSupportedException):
        LibreTranslator(source="gu", target="en", api_key=KEY, custom_url=served.url + "/")
    with pytest.raises(AuthorizationException):
        LibreTranslator(source="auto", target="en", api_key="guess-7d1e", custom_url=served.url + "/").translate(
            SENTENCE
        )
    with pytest.raises(ServerException):  # English is no source here: a 400, never an empty translation
        translator.translate("Hello world")
    # the key travelled in the URL, which the access log shows: without the key
    encoded = served.client.post(f"/translate?q=x&source=gu&target=en&api%5Fkey={KEY}")
    assert encoded.status_code == 200, encoded.text
    wait_until(lambda: '&api%5Fkey=[redacted] HTTP/1.1" 200' in served.log[start:])
    log = served.log[start:]
    assert '"POST /translate?q=' in log and '&api_key=[redacted] HTTP/1.1" 403' in log
    assert KEY not in served.log and "guess-7d1e" not in served.log


def test_libretranslatepy_translates_detects_and_lists(served):
    client = LibreTranslateAPI(served.url, api_key=KEY)
    assert client.translate(SENTENCE, "gu", "en") == service_answer(served, SENTENCE)
    assert client.translate(SENTENCE, "gu", "zh-Hans") == service_answer(served, SENTENCE, "zh-Hans")
    assert client.detect(SENTENCE) == [{"confidence": 100.0, "language": "gu"}]
    listed = {entry["code"]: entry["targets"] for entry in client.languages()}
    assert listed["gu"] and all(listed[code] == [] for code in listed if code != "gu")
    with pytest.raises(Exception) as refused:  # urllib's HTTPError: the pair is named, nothing is written
        client.translate("Hello world", "en", "zh-Hans")
    assert refused.value.code == 400
    assert "en → zh-Hans is not supported" in json.loads(refused.value.read())["error"]


# A page that calls the service the way browser tools do: JSON (so the browser sends a preflight
# first), then the answer, or the error the browser reports, written into the page.
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p id="answer">waiting</p><script>
fetch(%(service)s + "/translate", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({q: %(text)s, source: "gu", target: "en", api_key: %(key)s})})
  .then(response => response.json())
  .then(body => { document.getElementById("answer").textContent = "translated:" + body.translatedText; })
  .catch(problem => { document.getElementById("answer").textContent = "refused:" + problem.name; });
</script></body></html>"""


def chromium_binary() -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        if os.environ.get("PIPELINE_REQUIRE_CHROMIUM"):
            pytest.fail("chromium is required here (PIPELINE_REQUIRE_CHROMIUM is set) but not installed")
        pytest.skip("chromium not installed (Debian package `chromium`; .ci/run installs it)")
    return binary


@pytest.fixture
def page_answer(tmp_path):
    """page_answer(server) -> what a page served from another origin shows after calling `server`."""
    binary = chromium_binary()
    pages: list[http.server.ThreadingHTTPServer] = []

    def load(server: Server) -> str:
        html = PAGE % {"service": json.dumps(server.url), "text": json.dumps(SENTENCE), "key": json.dumps(KEY)}

        class Page(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = html.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        host = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
        pages.append(host)
        threading.Thread(target=host.serve_forever, daemon=True).start()
        proc = subprocess.run(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--virtual-time-budget=30000",
                f"--user-data-dir={tmp_path / ('chromium-' + uuid.uuid4().hex)}",
                "--dump-dom",
                f"http://127.0.0.1:{host.server_address[1]}/",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        return lxml.html.document_fromstring(proc.stdout.encode("utf-8")).get_element_by_id("answer").text_content()

    yield load
    for host in pages:
        host.shutdown()
        host.server_close()


def test_a_page_from_another_origin_gets_its_translation_in_a_browser(served, page_answer):
    start = len(served.log)
    assert page_answer(served) == "translated:" + service_answer(served, SENTENCE)
    assert '"OPTIONS /translate HTTP/1.1" 200' in served.log[start:]  # the browser asked first, and was let in
    assert '"POST /translate HTTP/1.1" 200' in served.log[start:]


def test_a_browser_page_from_an_origin_not_allowed_is_refused_before_the_model(
    tiny_models, tmp_path, start_server, page_answer
):
    server = start_server(
        [
            "--models",
            models_file(tiny_models, tmp_path, "transformers"),
            "--cors-origins",
            "https://translate.example.org",
        ],
        tmp_path,
    )
    assert page_answer(server) == "refused:TypeError"  # the browser's "Failed to fetch"
    assert server.stats()["modelCalls"] == 0
    assert '"OPTIONS /translate HTTP/1.1" 400' in server.log and '"POST /translate' not in server.log


@pytest.mark.parametrize("shape", ["json-batch", "json", "form"])
def test_weblate_gets_no_empty_translation_from_a_source_that_is_not_gujarati(served, shape):
    """Every shape Weblate's LibreTranslate machinery has sent (a JSON batch now, one text as a form
    in older releases) from every source code /languages lists, and ones it does not: a 400 naming
    the pair, which Weblate shows as an error and writes nothing from; only its configuration
    check ("test" from en into de) is a 200 with nothing translated."""
    codes = [entry["code"] for entry in served.client.get("/languages").json()]
    calls = served.stats()["modelCalls"]
    for source in [c for c in codes if c != "gu"] + ["zh", "de", "auto"]:
        for target in codes + ["zh", "zt", "de"]:
            for text in ("Hello world", "test"):
                body = {
                    "api_key": KEY,
                    "q": [text] if shape == "json-batch" else text,
                    "source": source,
                    "target": target,
                }
                response = served.client.post("/translate", **{"data" if shape == "form" else "json": body})
                if (source, target, text) == ("en", "de", "test"):
                    assert response.status_code == 200 and response.json()["translatedText"] in ([""], "")
                    continue
                assert response.status_code == 400, (source, target, text, response.text)
                problem = response.json()["error"]
                assert "is not supported" in problem or "is not Gujarati" in problem, problem
    assert served.stats()["modelCalls"] == calls
