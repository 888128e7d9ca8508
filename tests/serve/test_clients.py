"""Real clients of `pipeline serve`, as they send their requests: deep-translator (fields in the
URL), LibreTranslate's own web page (multipart, from another origin, /frontend/settings),
libretranslatepy's detect(), Weblate (its configuration check, its batches, its [X0X] tokens)
and the malformed requests any client may send, each answered with a message naming the field."""

from __future__ import annotations

import json

import httpx
import pytest
from conftest import KEY, Server, flores, models_file
from libretranslatepy import LibreTranslateAPI

SENTENCE = "આ એક વાક્ય છે."
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def served(keyed_server):
    return keyed_server


def translated(server: Server, q, target="en") -> dict:
    response = server.post({"q": q, "source": "gu", "target": target, "api_key": KEY})
    assert response.status_code == 200, response.text
    return response.json()


def test_deep_translator_sends_every_field_in_the_url(served):
    """deep-translator's LibreTranslator: requests.post(url + "translate", params={...}), no body."""
    params = {"q": SENTENCE, "source": "gu", "target": "en", "format": "text", "api_key": KEY}
    response = httpx.post(f"{served.url}/translate", params=params)
    assert response.status_code == 200, response.text
    assert response.json()["translatedText"] == translated(served, SENTENCE)["translatedText"]
    # the URL and a body together, as LibreTranslate reads them; a field sent twice must agree
    both = served.client.post(
        "/translate", params={"api_key": KEY}, data={"q": SENTENCE, "source": "gu", "target": "en"}
    )
    assert both.status_code == 200 and both.json()["translatedText"] == response.json()["translatedText"]
    clash = served.client.post(
        "/translate", params={"target": "zh-Hans"}, json={"q": SENTENCE, "source": "gu", "target": "en", "api_key": KEY}
    )
    assert clash.status_code == 400 and "target is given both in the URL and in the body" in clash.json()["error"]
    for content_type in ("application/json", "text/plain"):  # a library's default for a request without a body
        alone = served.client.post("/translate", params=params, headers={"Content-Type": content_type})
        assert alone.json()["translatedText"] == response.json()["translatedText"]
    unlabelled = served.client.post("/translate", content=f"q={SENTENCE}&source=gu&target=en&api_key={KEY}")
    assert unlabelled.json()["translatedText"] == response.json()["translatedText"]
    bad = served.client.post("/translate?q=%FF&source=gu&target=en&api_key=" + KEY)
    assert bad.status_code == 400 and "query string is not valid UTF-8" in bad.json()["error"]


def weblate_translations(server: Server, source: str, target: str, texts: list[str], language_map: dict):
    """What Weblate's LibreTranslate machinery (weblate/machinery/base.py, libretranslate.py) makes
    of the service for a component from `source` into `target`: None when it deems the pair not
    supported, an exception (no suggestion, nothing written) on an error status, else its texts."""
    codes = {entry["code"] for entry in httpx.get(f"{server.url}/languages").json()}
    source, target = (language_map.get(code, code) for code in (source, target))
    if not (source in codes and target in codes and source != target):  # is_supported()
        return None
    response = httpx.post(
        f"{server.url}/translate", timeout=20, json={"api_key": KEY, "q": texts, "source": source, "target": target}
    )
    response.raise_for_status()  # check_failure()
    return response.json()["translatedText"]


@pytest.mark.parametrize("language_map", [{"zh_Hans": "zh"}, {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant"}])
def test_weblate_can_never_write_an_empty_translation_through_the_service(served, language_map):
    english, gujarati = ["Hello world", "Save %s files"], flores(30, 2)
    for source, texts in (("en", english), ("gu", gujarati), ("zh_Hans", ["你好"]), ("de", ["Hallo"])):
        for target in ("en", "zh_Hans", "zh_Hant", "de", "gu"):
            try:
                result = weblate_translations(served, source, target, texts, language_map)
            except httpx.HTTPStatusError as exc:
                assert exc.response.status_code == 400, exc.response.text  # 400: no 30-minute pause
                assert "is not supported" in exc.response.json()["error"]
                continue
            if result is not None:
                assert source == "gu" and all(result), (source, target, result)
    refused = served.post({"api_key": KEY, "q": english, "source": "en", "target": "zh-Hans"})
    assert refused.status_code == 400
    assert refused.json()["error"].startswith("en → zh-Hans is not supported: this service translates from gu only")


def test_weblate_configuration_check_still_passes(served):
    """validate_settings(): download_languages(), then "test" from en into de, which must not fail;
    in its older form-encoded shape too. Any other text from en into de is refused."""
    for check in (
        {"json": {"api_key": KEY, "q": ["test"], "source": "en", "target": "de"}},
        {"data": {"api_key": KEY, "q": "test", "source": "en", "target": "de"}},
    ):
        response = served.client.post("/translate", **check)
        assert response.status_code == 200, response.text
        assert response.json()["translatedText"] in ([""], "")
    other = served.post({"api_key": KEY, "q": ["Hello"], "source": "en", "target": "de"})
    assert other.status_code == 400 and "en → de is not supported" in other.json()["error"]
    assert served.post({"q": ["test"], "source": "en", "target": "de"}).status_code == 403  # the key still counts


def test_source_auto_refuses_a_text_that_is_not_gujarati(served):
    response = served.post({"q": [SENTENCE, "Hello world"], "source": "auto", "target": "en", "api_key": KEY})
    assert response.status_code == 400
    assert "q[1] is not Gujarati" in response.json()["error"]
    numbers = served.post({"q": "12.5 %", "source": "auto", "target": "en", "api_key": KEY})
    assert numbers.status_code == 200  # no letters: nothing says it is another language


def test_libretranslate_web_page_posts_multipart_from_another_origin(served):
    page = {"Origin": "https://somewhere.example"}
    fields = {
        "q": (None, SENTENCE),
        "source": (None, "gu"),
        "target": (None, "en"),
        "format": (None, "text"),
        "api_key": (None, KEY),
        "secret": (None, ""),
    }
    response = served.client.post("/translate", files=fields, headers=page)
    assert response.status_code == 200, response.text
    assert response.json()["translatedText"] == translated(served, SENTENCE)["translatedText"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = served.client.options(
        "/translate",
        headers={**page, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    upload = served.client.post("/translate", files={**fields, "q": ("article.txt", SENTENCE.encode())})
    assert upload.status_code == 400 and "q is a file" in upload.json()["error"]
    settings = served.client.get("/frontend/settings", headers=page).json()
    assert settings["language"] == {
        "source": {"code": "gu", "name": "Gujarati"},
        "target": {"code": "en", "name": "English"},
    }
    assert settings["keyRequired"] is True and settings["charLimit"] == 5000
    assert settings["suggestions"] is False and settings["filesTranslation"] is False
    assert served.client.post("/suggest", data={"q": "x", "s": "y"}).status_code == 403
    assert served.client.post("/translate_file").status_code == 400


def test_libretranslatepy_detect_says_gujarati_and_how_sure(served):
    client = LibreTranslateAPI(served.url, api_key=KEY)
    assert client.detect(SENTENCE) == [{"confidence": 100.0, "language": "gu"}]
    assert client.detect("Hello world") == [{"confidence": 0.0, "language": "gu"}]
    assert served.client.post("/detect", data={"q": SENTENCE}).status_code == 403  # keys count here too
    assert "missing q" in served.client.post("/detect", data={"api_key": KEY}).json()["error"]


def test_a_weblate_token_lost_by_the_model_is_a_finding(served):
    """Weblate sends markup and format strings as [X0X], [X1X]: the model never sees them (they
    are masked like the pipeline's own spans), and one the model dropped is reported."""
    body = translated(served, ["આ [X0X] એક વાક્ય [X12X] છે."])
    text, findings = body["translatedText"][0], body["findings"][0]
    lost = [token for token in ("[X0X]", "[X12X]") if token not in text]
    for token in lost:
        assert any(f["check"] == "placeholders" and token in f["message"] for f in findings), findings
    assert text.count("[X") == 2 - len(lost)  # nothing half-copied ([X0, X0X])


@pytest.mark.parametrize(
    "body, content_type, message",
    [
        (b"", "application/json", "Invalid JSON format: the body is empty"),
        (b'{"q": "x"', "application/json", "Invalid JSON format: Expecting ',' delimiter at line 1, column 10"),
        (b'["q"]', "application/json", "the body must be a JSON object, not an array"),
        (b'"q"', "application/json", "the body must be a JSON object, not a string"),
        (b'{"q": "\xe0\xaa"}', "application/json", "the body is not valid UTF-8"),
        (b'{"q": ' + b"9" * 5000 + b"}", "application/json", "a number with 5,000 digits"),
        (
            b'{"q": 7, "source": "gu", "target": "en"}',
            "application/json",
            "q must be a string or a list of strings, not a number",
        ),
        (b'{"q": {"a": 1}, "source": "gu", "target": "en"}', "application/json", "not an object"),
        (b'{"q": ["a", ["b"]], "source": "gu", "target": "en"}', "application/json", "q[1] must be a string"),
        (b'{"q": [], "source": "gu", "target": "en"}', "application/json", "q is an empty list"),
        (
            b'{"q": "x", "source": ["gu"], "target": "en"}',
            "application/json",
            "source must be a language code, not an array",
        ),
        (b'{"q": "x", "source": "gu", "target": "en", "format": 1}', "application/json", "format must be text or html"),
        (
            b'{"q": "x", "source": "gu", "target": "en", "format": "markdown"}',
            "application/json",
            "markdown format is not supported",
        ),
        (
            b'{"q": "x", "source": "gu", "target": "en", "alternatives": [2]}',
            "application/json",
            "alternatives parameter is not a number",
        ),
        (
            b'{"q": "x", "source": "gu", "target": "en", "alternatives": true}',
            "application/json",
            "alternatives parameter is not a number",
        ),
        (
            b'{"q": "x", "source": "gu", "target": "en", "alternatives": 1e999}',
            "application/json",
            "alternatives parameter is not a number",
        ),
        (
            b'{"q": "x", "source": "gu", "target": "en", "api_key": 12345}',
            "application/json",
            "api_key must be a string, not a number",
        ),
        (b"q=x&source=gu&target=en", "text/plain", "unsupported content type 'text/plain'"),
        (
            b'{"q": "x", "source": "gu", "target": "en"}',
            "application/x-www-form-urlencoded",
            "the body is JSON but its Content-Type is application/x-www-form-urlencoded",
        ),
        (
            b"--b\r\nContent-Disposition: form-data; name=q\r\n\r\nx",
            "multipart/form-data; boundary=b",
            "ends before its closing boundary",
        ),
        (b"q=x", "multipart/form-data", "without a boundary"),
    ],
)
def test_a_malformed_request_is_answered_about_itself(served, body, content_type, message):
    # the key in the URL, as deep-translator sends it (no body then means: all fields in the URL)
    key = {} if b"api_key" in body or not body else {"api_key": KEY}
    response = served.client.post("/translate", params=key, content=body, headers={"Content-Type": content_type})
    assert response.status_code in (400, 415), response.text
    assert message in response.json()["error"]
    assert (response.status_code == 415) == ("Content-Type is" in message or "content type" in message)


def test_a_disallowed_origin_never_reaches_the_model(tiny_models, tmp_path, start_server):
    server = start_server(
        [
            "--models",
            models_file(tiny_models, tmp_path, "transformers"),
            "--cors-origins",
            "https://translate.example.org, http://localhost:8080",
        ],
        tmp_path,
    )
    form = {"q": flores(50, 1)[0], "source": "gu", "target": "en"}
    refused = server.client.post("/translate", data=form, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and "origin https://evil.example is not allowed" in refused.json()["error"]
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert server.stats()["modelCalls"] == 0
    preflight = server.client.options(
        "/translate", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 400
    allowed = server.client.post("/translate", data=form, headers={"Origin": "http://localhost:8080"})
    assert allowed.status_code == 200 and allowed.headers["Access-Control-Allow-Origin"] == "http://localhost:8080"
    assert server.client.post("/translate", data=form).status_code == 200  # no Origin: not a web page
    assert json.loads(server.client.get("/languages", headers={"Origin": "https://evil.example"}).text)


@pytest.mark.parametrize(
    "value, message",
    [
        ("https://example.org/path", "'https://example.org/path' is not an origin"),
        ("example.org", "'example.org' is not an origin"),
        ("https://example.org:port", "is not an origin"),
        ("*, https://example.org", "* allows every origin"),
    ],
)
def test_cors_origins_that_are_not_origins_are_refused_at_start(tiny_models, tmp_path, value, message, pipeline):
    proc = pipeline(
        "serve",
        "--models",
        models_file(tiny_models, tmp_path, "transformers"),
        "--cors-origins",
        value,
        cwd=tmp_path,
        separate=True,
        timeout=120,
        code=None,
    )
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_weblate_tokens_come_back_whole_from_a_model_copying_markers(trained_model, tmp_path, start_server):
    """The tiny MADLAD was trained on "વિગતો [1] પર છે." → "Details are at [1].": a Weblate text
    with a token where the marker goes comes back with that token, and no finding."""
    models = models_file(trained_model, tmp_path, "transformers", "models-trained-pivot.yaml")
    server = start_server(["--models", models], tmp_path)
    texts = ["વિગતો [X0X] પર છે.", "વિગતો [X12X] પર છે."]
    body = server.post({"q": texts, "source": "gu", "target": "en"}).json()
    assert body["translatedText"] == ["Details are at [X0X].", "Details are at [X12X]."]
    assert body["findings"] == [[], []]
