"""The HTTP side: LibreTranslate's API as a Starlette application over a `Service`.

    GET  /languages   [{code, name, targets}]: gu with its routed targets, then each target
    POST /translate   {q, source, target, format?, alternatives?, api_key?}: JSON or a form;
                      q a string (answer: a string) or a list (answer: a list, same order)
    GET  /health      {"status": "ok", ...}: for load balancers and monitoring

Answers have LibreTranslate's shape (`translatedText`, `detectedLanguage` for source `auto`,
`alternatives` when asked: always empty, there are none), plus fields its clients ignore:
`confidence` (the model's, 0-1, lowest of the text's sentences) and `findings` (QA). Errors are
`{"error": message}` with LibreTranslate's statuses: 400 bad request, 403 key, 413 body too
large (or more new sentences than the queue holds), 503 overloaded (with Retry-After), 500 when the model failed.

Gujarati is the only source. A request from another language (Weblate checks a new service with
en → de "test") is answered 200 with empty translations and a `detail` saying why: nothing is
translated, nothing pretends to be.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pipeline.errors import PipelineError
from pipeline.layout import SOURCE_LANGUAGE
from pipeline.serve.auth import key_problem
from pipeline.serve.batching import ModelFailed, Overloaded, TooLarge
from pipeline.serve.languages import is_source, languages_listing, served_target
from pipeline.serve.limits import RequestError, TranslateRequest, parse_fields, read_body, translate_request
from pipeline.serve.service import Service
from pipeline.serve.texts import ServedTexts, Untranslated

_TAG = re.compile(r"<[^>]*>")
RETRY_AFTER = "5"  # seconds a client told 503 should wait; Weblate pauses for 30 minutes anyway


def error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class InFlight:
    """Translations in progress: at most `limit`, each in a worker thread of its own while it
    waits for the batcher (which needs them to arrive together)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.count = 0
        self._threads: anyio.CapacityLimiter | None = None  # made on the event loop, when first used

    def full(self) -> bool:
        return self.count >= self.limit

    async def run(self, work, *args):
        if self._threads is None:
            self._threads = anyio.CapacityLimiter(self.limit)
        self.count += 1
        try:
            return await anyio.to_thread.run_sync(work, *args, limiter=self._threads)
        finally:
            self.count -= 1


def create_app(service: Service) -> Starlette:
    in_flight = InFlight(service.settings.limits.max_requests)

    async def languages(request: Request) -> Response:
        return JSONResponse(languages_listing(service.targets))

    async def health(request: Request) -> Response:
        stats = service.batcher.stats
        return JSONResponse({"status": "ok", "inFlight": in_flight.count, "queued": service.batcher.queued,
                             "modelCalls": stats.calls, "modelSentences": stats.sentences,
                             "largestBatch": stats.largest, "rejected": stats.rejected})

    async def translate(request: Request) -> Response:
        limits = service.settings.limits
        try:
            fields = parse_fields(await read_body(request, limits.max_body),
                                  request.headers.get("content-type", ""), limits)
            problem = key_problem(service.settings.api_keys, _key_field(fields))
            if problem is not None:
                return error(403, problem)
            req = translate_request(fields, limits)
        except RequestError as exc:
            return error(exc.status, exc.message)
        except ClientDisconnect:
            return Response(status_code=400)  # nobody is there to read it
        if not is_source(req.source):
            return JSONResponse(not_translated(req))
        try:
            locale, _ = served_target(req.target, service.targets)
        except PipelineError as exc:
            return error(400, str(exc))
        if in_flight.full():
            service.batcher.stats.rejected += 1
            return error(503, f"busy: {limits.max_requests} requests in progress; try again shortly",
                         {"Retry-After": RETRY_AFTER})
        try:
            served = await in_flight.run(service.translate, req.texts, req.fmt, locale)
        except PipelineError as exc:  # a text the readers refuse (HTML nested too deep, ...)
            return error(400, str(exc))
        except TooLarge as exc:
            return error(413, str(exc))
        except Overloaded as exc:
            return error(503, f"busy: {exc}; try again shortly", {"Retry-After": RETRY_AFTER})
        except (ModelFailed, Untranslated) as exc:
            return error(500, f"Cannot translate text: {exc}")
        return JSONResponse(answer(req, served))

    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error(exc.status_code, exc.detail, exc.headers)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            service.close()  # after uvicorn has let the requests in flight finish

    routes = [Route("/languages", languages, methods=["GET"]), Route("/translate", translate, methods=["POST"]),
              Route("/health", health, methods=["GET"])]
    return Starlette(routes=routes, exception_handlers={HTTPException: http_error}, lifespan=lifespan)


def _key_field(fields: dict) -> str | None:
    key = fields.get("api_key")
    return key if isinstance(key, str) else None


def answer(req: TranslateRequest, served: ServedTexts) -> dict:
    """LibreTranslate's answer, each field a list when q was one."""
    def shaped(values: list):
        return values if req.batch else values[0]

    body = {"translatedText": shaped([s.text for s in served.texts])}
    if req.source.strip().lower() == "auto":
        plain = [_TAG.sub(" ", t) if req.fmt == "html" else t for t in req.texts]
        body["detectedLanguage"] = shaped([{"confidence": gujarati_share(t), "language": SOURCE_LANGUAGE}
                                           for t in plain])
    if req.alternatives:
        body["alternatives"] = shaped([[] for _ in req.texts])
    body["confidence"] = shaped([s.confidence for s in served.texts])
    body["findings"] = shaped([[{"sentence": sentence, "check": f.check, "message": f.message}
                                for sentence, f in s.findings] for s in served.texts])
    return body


def not_translated(req: TranslateRequest) -> dict:
    """The answer to a request from a language other than Gujarati: nothing translated."""
    empty = [""] * len(req.texts)
    return {"translatedText": empty if req.batch else empty[0],
            "detail": f"this service translates from {SOURCE_LANGUAGE} only; nothing was translated from "
                      f"{req.source[:40]}"}


def gujarati_share(text: str) -> float:
    """Percent of the letters of `text` in Gujarati script: the `detectedLanguage` confidence."""
    letters = [c for c in text if unicodedata.category(c)[0] in "LM"]
    if not letters:
        return 0.0
    return round(100 * sum(1 for c in letters if "\u0a80" <= c <= "\u0aff") / len(letters), 1)
