"""`pipeline serve` on an open network: idle and slow connections, two servers racing for one
port, keys files from Windows editors, and API keys kept out of the log."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from conftest import KEY, ROOT, models_file, wait_until

SENTENCE = "આ એક વાક્ય છે."
IDLE = 330  # more than uvicorn's concurrency limit was (4 * --max-requests + 64 = 320)


def closed_by_server(sock: socket.socket, deadline: float) -> bool:
    """True when the server closes `sock` (EOF or reset) before `deadline` (time.monotonic);
    whatever it sends before (the rest of an answer) is read and dropped."""
    while True:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            if sock.recv(4096) == b"":
                return True
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False


def still_open(sock: socket.socket) -> bool:
    """True while the server has neither closed `sock` nor sent anything on it."""
    try:
        sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def test_hundreds_of_idle_connections_neither_lock_clients_out_nor_stay_open(tmp_path, tiny_models, start_server):
    """330 sockets that send nothing, and 5 that send a request head a byte every 0.3 s: /health
    and a translation are answered while they are all open, and the server closes every one of
    them once --read-timeout has passed, trickling bytes or not."""
    models = models_file(tiny_models, tmp_path, "transformers")
    server = start_server(["--models", models, "--read-timeout", "10"], tmp_path)
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    idle = [socket.create_connection((host, int(port))) for _ in range(IDLE)]
    slow = [socket.create_connection((host, int(port))) for _ in range(5)]
    stop = threading.Event()

    def trickle():
        head = b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        for byte in head:
            for sock in slow:
                try:
                    sock.send(bytes([byte]))
                except OSError:
                    pass
            if stop.wait(0.3):
                return

    threading.Thread(target=trickle, daemon=True).start()
    opened = time.monotonic()
    try:
        time.sleep(0.5)  # the server has accepted them all
        health = server.client.get("/health", timeout=5)
        assert health.status_code == 200, health.text
        answer = server.post({"q": SENTENCE, "source": "gu", "target": "en"}, timeout=30)
        assert answer.status_code == 200 and answer.json()["translatedText"], answer.text
        assert all(still_open(sock) for sock in idle + slow)  # answered while they were all open
        deadline = opened + 10 + 10
        assert all(closed_by_server(sock, deadline) for sock in idle + slow)
    finally:
        stop.set()
        for sock in idle + slow:
            sock.close()
    assert server.client.get("/health").status_code == 200


def test_a_client_with_a_slow_body_is_disconnected(tmp_path, tiny_models, start_server):
    """A whole head, then a body that never arrives: the deadline covers the body too."""
    models = models_file(tiny_models, tmp_path, "transformers")
    server = start_server(["--models", models, "--read-timeout", "2"], tmp_path)
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(
            b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"q": '
        )
        assert closed_by_server(sock, time.monotonic() + 12)
    assert server.stats()["status"] == "ok"


def test_an_idle_connection_after_an_answer_is_closed_after_keep_alive(tmp_path, tiny_models, start_server):
    models = models_file(tiny_models, tmp_path, "transformers")
    server = start_server(["--models", models, "--keep-alive", "1", "--read-timeout", "60"], tmp_path)
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(10)
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        assert closed_by_server(sock, time.monotonic() + 3)  # the default would be 5 s


def test_two_servers_started_at_once_on_one_port_one_serves_the_other_exits_2(tmp_path, tiny_models):
    """Both bind while loading their models (SO_REUSEADDR lets them); the second to listen is
    refused with the address named, not a traceback, and the first goes on serving."""
    models = models_file(tiny_models, tmp_path, "transformers")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "pipeline", "serve", "--models", str(models), "--port", str(port)]
    procs = [
        subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        wait_until(lambda: any(p.poll() is not None for p in procs), timeout=180)
        loser = next(p for p in procs if p.poll() is not None)
        winner = next(p for p in procs if p is not loser)
        lost = loser.stderr.read()
        assert loser.returncode == 2, lost
        assert f"cannot listen on 127.0.0.1:{port}" in lost and "Traceback" not in lost, lost
        assert winner.poll() is None
        winner.send_signal(signal.SIGTERM)
        assert winner.wait(60) == 0
        assert f"pipeline serve: http://127.0.0.1:{port}/" in winner.stderr.read()
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stderr.close()


WINDOWS_KEYS = {  # what Windows editors save: a byte-order mark and CRLF line ends
    "utf-8 with a bom": ("\ufeff{key}\r\n# tools\r\nsecond-key\r\n", "utf-8"),
    "utf-16 le with a bom (notepad's unicode)": ("\ufeff{key}\r\nsecond-key\r\n", "utf-16-le"),
    "utf-16 be with a bom": ("\ufeff# tools\r\n{key}\r\n", "utf-16-be"),
}


@pytest.mark.parametrize("case", list(WINDOWS_KEYS))
def test_a_keys_file_from_a_windows_editor_is_read_as_the_editor_meant(tmp_path, case):
    from pipeline.serve.auth import key_problem, load_api_keys

    text, encoding = WINDOWS_KEYS[case]
    path = tmp_path / "keys.txt"
    path.write_bytes(text.format(key=KEY).encode(encoding))
    keys = load_api_keys(path)
    assert KEY in keys and key_problem(keys, KEY) is None


def test_the_server_accepts_the_first_key_of_a_keys_file_saved_with_a_bom(keyed_server):
    server = keyed_server  # its keys file starts with a byte-order mark and ends lines with CRLF
    assert (server.folder / "keys.txt").read_bytes().startswith(b"\xef\xbb\xbf" + KEY.encode() + b"\r\n")
    for key in (KEY, "second-key"):
        answer = server.post({"q": SENTENCE, "source": "gu", "target": "en", "api_key": key})
        assert answer.status_code == 200, answer.text
    assert server.post({"q": SENTENCE, "source": "gu", "target": "en", "api_key": "\ufeff" + KEY}).status_code == 403


BAD_KEYS = {
    "not utf-8 on line 2": (b"k-1\nk-\xff2\n", "keys.txt:2: not valid UTF-8"),
    "broken utf-16 on line 2": (b"\xff\xfek\x00\n\x00\x00\xd8\n\x00", "keys.txt:2: not valid UTF-16"),
    "utf-16 without a bom": (
        "k-1\r\n".encode("utf-16-le"),
        "keys.txt:1: an API key holds an invisible character (U+0000)",
    ),
    "a zero-width space in a key": (
        "k-1\nk\u200b2\n".encode(),
        "keys.txt:2: an API key holds an invisible character (U+200B)",
    ),
}


@pytest.mark.parametrize("case", list(BAD_KEYS))
def test_an_unreadable_keys_file_is_exit_2_naming_the_file_and_line(tmp_path, tiny_models, case, pipeline):
    data, message = BAD_KEYS[case]
    (tmp_path / "keys.txt").write_bytes(data)
    proc = pipeline(
        "serve",
        "--models",
        models_file(tiny_models, tmp_path, "transformers"),
        "--api-keys",
        "keys.txt",
        cwd=tmp_path,
        separate=True,
        timeout=120,
        code=None,
    )
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


NUMBERS = {
    "--batch-wait nan": (["--batch-wait", "nan"], "argument --batch-wait: must be a finite number of milliseconds"),
    "--batch-wait inf": (["--batch-wait", "inf"], "argument --batch-wait: must be a finite number of milliseconds"),
    "--batch-wait -1": (["--batch-wait", "-1"], "argument --batch-wait: must be a finite number of milliseconds"),
    "--timeout nan": (["--timeout", "nan"], "argument --timeout: must be a finite number of seconds, above 0"),
    "--timeout 0": (["--timeout", "0"], "argument --timeout: must be a finite number of seconds, above 0"),
    "--timeout 1e300": (["--timeout", "1e300"], "above 0 and at most 3600, not 1e300"),
    "--read-timeout nan": (["--read-timeout", "nan"], "argument --read-timeout: must be a finite number"),
    "--keep-alive -inf": (["--keep-alive=-inf"], "argument --keep-alive: must be a finite number"),
    "--port 70000": (["--port", "70000"], "argument --port: must be an integer, from 0 to 65535"),
    "--max-body 0": (["--max-body", "0"], "argument --max-body: must be an integer, at least 1, not 0"),
    "--max-queue x": (["--max-queue", "x"], "argument --max-queue: must be an integer, at least 1, not 'x'"),
}


@pytest.mark.parametrize("case", list(NUMBERS))
def test_a_number_out_of_range_is_an_argparse_error(tmp_path, case, pipeline):
    args, message = NUMBERS[case]
    proc = pipeline("serve", *args, cwd=tmp_path, code=2)  # argparse's refusal: no server could start
    assert message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("usage: pipeline serve")


@pytest.mark.parametrize(
    "args", [["--ray-cpus-per-worker", "nan"], ["--ray-gpus-per-worker", "inf"], ["--ray-workers", "0"]]
)
def test_the_executor_numbers_are_checked_too(tmp_path, args, pipeline):
    proc = pipeline("run", "x.txt", "--to", "en", *args, cwd=tmp_path, code=None)
    assert proc.returncode == 2 and f"argument {args[0]}: must be" in proc.stderr, proc.stderr


def test_an_api_key_never_reaches_the_log(keyed_server):
    """deep-translator sends every field, the key too, in the URL of `POST /translate`; the
    access log (on stderr with the rest of the server's lines) shows it redacted, right or wrong,
    in the query or percent-encoded."""
    server = keyed_server
    start = len(server.log)
    wrong = "wrong-9d1e7b"
    server.post(params={"q": SENTENCE, "source": "gu", "target": "en", "api_key": KEY})
    server.post(params={"api_key": wrong}, json={"q": SENTENCE, "source": "gu", "target": "en", "api_key": KEY})
    server.client.post(f"/translate?api%5Fkey={KEY}&q=x")
    server.client.get(f"/health?api_key={KEY}")
    wait_until(lambda: server.log[start:].count("[redacted]") >= 4)
    assert '"POST /translate?' in server.log[start:] and "/health?api_key=[redacted]" in server.log[start:]
    assert KEY not in server.log and wrong not in server.log, server.log


def test_every_log_line_has_keys_redacted_whatever_logged_them(capsys):
    """The access line's URL, a body as JSON or as Python shows it, a form, a traceback: the
    server's log set-up lets no key through."""
    import logging.config

    from pipeline.serve.logs import log_config

    loggers = [logging.getLogger(name) for name in ("", "uvicorn", "uvicorn.error", "uvicorn.access")]
    before = [(logger, logger.handlers[:], logger.level, logger.propagate, logger.disabled) for logger in loggers]
    logging.config.dictConfig(log_config())
    try:
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "POST", f"/translate?q=x&api_key={KEY}", "1.1", 200
        )
        logging.getLogger("pipeline.serve").warning("body %s", {"api_key": KEY, "q": "x"})
        logging.getLogger("uvicorn.error").error("body %s", f'{{"q": "x", "api_key": "{KEY}"}}'.encode())
        logging.getLogger("uvicorn.error").error(f"form q=x&api-key={KEY}")
        try:
            raise ValueError(f"apiKey={KEY}")
        except ValueError:
            logging.getLogger("uvicorn.error").exception("failed")
    finally:  # this process's logging as it was: the handlers write to this test's captured stderr
        for logger, handlers, level, propagate, disabled in before:
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate, logger.disabled = propagate, disabled
    log = capsys.readouterr().err
    assert KEY not in log, log
    for shown in (
        "api_key=[redacted] HTTP/1.1",
        "{'api_key': '[redacted]', 'q': 'x'}",
        '"api_key": "[redacted]"}',
        "form q=x&api-key=[redacted]",
        "ValueError: apiKey=[redacted]",
    ):
        assert shown in log, (shown, log)
