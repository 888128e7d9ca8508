"""Starting and stopping `pipeline serve`, and how it behaves when overloaded: safe defaults,
clear start-up errors, 503 instead of a timeout, and SIGTERM finishing the requests in flight."""

from __future__ import annotations

import concurrent.futures
import signal
import socket
import time

import httpx
from conftest import KEY, flores, models_file, wait_until

# One sentence each, whatever the segmenter's rules: a queue of N texts holds N sentences.
SHORT = ["આ પહેલું વાક્ય છે.", "આ બીજું વાક્ય છે.", "આ ત્રીજું વાક્ય છે.", "આ ચોથું વાક્ય છે."]


def test_listens_on_this_machine_only_by_default(tmp_path, tiny_models, start_server):
    server = start_server(["--models", models_file(tiny_models, tmp_path, "transformers")], tmp_path)
    assert server.url.startswith("http://127.0.0.1:")
    assert "API key" not in server.log
    body = {"q": flores(0, 1)[0], "source": "gu", "target": "en"}
    assert server.post(body).status_code == 200  # no --api-keys: no key needed


def test_sigterm_lets_the_request_in_flight_finish_then_exits_0(tmp_path, tiny_models, start_server):
    """The request waits 1.5 s in the batcher (--batch-wait) when SIGTERM arrives: it is still
    answered, new connections are refused, and the server exits with status 0."""
    models = models_file(tiny_models, tmp_path, "transformers")
    server = start_server(["--models", models, "--batch-wait", "1500"], tmp_path)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pending = pool.submit(server.post, {"q": flores(1, 2), "source": "gu", "target": "zh-Hans"})
        wait_until(lambda: server.stats()["inFlight"] == 1)
        server.proc.send_signal(signal.SIGTERM)
        response = pending.result(timeout=60)
    assert response.status_code == 200 and len(response.json()["translatedText"]) == 2
    assert server.proc.wait(60) == 0
    assert "Traceback" not in server.log and "Application shutdown complete" in server.log


def test_overload_is_answered_503_at_once_not_a_timeout(tmp_path, tiny_models, start_server):
    """One request at a time (--max-requests 1): a second one is refused at once with
    Retry-After; a request that waited for the model past --timeout is refused, not run."""
    models = models_file(tiny_models, tmp_path, "transformers")
    server = start_server(
        ["--models", models, "--max-requests", "1", "--batch-wait", "1500", "--timeout", "1"], tmp_path
    )
    body = {"q": flores(3, 1)[0], "source": "gu", "target": "en"}
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        first = pool.submit(server.post, body)
        wait_until(lambda: server.stats()["inFlight"] == 1)
        start = time.monotonic()
        second = server.post(body)
        assert time.monotonic() - start < 1
        assert second.status_code == 503 and second.headers["Retry-After"]
        assert "requests in progress" in second.json()["error"]
        late = first.result(timeout=60)
    assert late.status_code == 503 and "waited" in late.json()["error"]
    assert server.stats()["rejected"] == 2


def test_a_full_queue_is_answered_503(tmp_path, tiny_models, start_server):
    models = models_file(tiny_models, tmp_path, "transformers")
    server = start_server(["--models", models, "--max-queue", "3", "--batch-wait", "1500"], tmp_path)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        first = pool.submit(server.post, {"q": SHORT[:2], "source": "gu", "target": "en"})
        wait_until(lambda: server.stats()["queued"] == 2)
        refused = server.post({"q": SHORT[2:], "source": "gu", "target": "en"})
        assert refused.status_code == 503 and "waiting for the model" in refused.json()["error"]
        assert first.result(timeout=60).status_code == 200
    too_many = server.post({"q": "\n".join(flores(20, 4)), "source": "gu", "target": "en"})
    assert too_many.status_code == 413 and "sentences new to the translation memory" in too_many.json()["error"]
    assert server.post({"q": SHORT[:2], "source": "gu", "target": "en"}).status_code == 200  # memory: none new


def test_start_up_errors_are_one_clear_line_and_exit_2(tmp_path, tiny_models, pipeline):
    models = models_file(tiny_models, tmp_path, "transformers")
    (tmp_path / "empty-keys.txt").write_text("# nobody yet\n\n", encoding="utf-8")
    (tmp_path / "spaced-keys.txt").write_text(f"{KEY}\ntwo words\n", encoding="utf-8")
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    cases = [
        (["--models", "missing.yaml"], "missing.yaml"),
        (["--models", models, "--api-keys", "nowhere.txt"], "nowhere.txt: cannot read the API keys"),
        (["--models", models, "--api-keys", "empty-keys.txt"], "empty-keys.txt: no API keys in the file"),
        (["--models", models, "--api-keys", "spaced-keys.txt"], "spaced-keys.txt:2: an API key has a space"),
        (["--models", models, "--port", str(taken.getsockname()[1])], "cannot listen on 127.0.0.1:"),
        (["--models", models, "--max-texts", "0"], "argument --max-texts: must be an integer, at least 1, not 0"),
        (["--models", models, "--workdir", models], "--workdir must name a folder"),
    ]
    try:
        for args, message in cases:
            proc = pipeline("serve", *args, cwd=tmp_path, separate=True, timeout=120, code=None)
            assert proc.returncode == 2, (args, proc.stderr)
            assert message in proc.stderr and "Traceback" not in proc.stderr, (args, proc.stderr)
    finally:
        taken.close()


def test_a_model_that_cannot_write_a_script_is_not_offered(tmp_path, tiny_models, start_server):
    """M2M100 writes no Traditional Chinese: zh-Hant is neither listed nor served as Simplified."""
    models = models_file(tiny_models, tmp_path, "transformers", "models-m2m100.yaml")
    server = start_server(["--models", models], tmp_path)
    assert [x["code"] for x in server.client.get("/languages").json()] == ["gu", "en", "zh-Hans"]
    assert "not serving zh_Hant" in server.log
    refused = server.post({"q": flores(0, 1)[0], "source": "gu", "target": "zh-Hant"})
    assert refused.status_code == 400 and "no model is routed for gu → zh_Hant" in refused.json()["error"]
    assert httpx.post(f"{server.url}/translate", data={"q": "x", "source": "gu", "target": "zh"}).status_code == 200
