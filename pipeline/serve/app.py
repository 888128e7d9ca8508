"""The HTTP side: LibreTranslate's API as a Starlette application over a `Service`.

    GET  /languages          [{code, name, targets}]: gu with its routed targets, then each target
    POST /translate          {q, source, target, format?, alternatives?, api_key?}: q a string
                             (answer: a string) or a list (answer: a list, same order)
    POST /detect             {q, api_key?}: [{"language": "gu", "confidence"}]
    GET  /frontend/settings  what LibreTranslate's web page reads: limits, key, languages
    POST /suggest, /translate_file: refused as a LibreTranslate server with them disabled
    GET  /health             {"status": "ok", ...}: for load balancers and monitoring

Fields are read from the URL's query and the body (JSON, a form or multipart) together, as
LibreTranslate reads them (`fields`). Answers have LibreTranslate's shape (`translatedText`,
`detectedLanguage` for source `auto`, `alternatives` when asked: always empty, there are none),
plus fields its clients ignore: `confidence` (the model's, 0-1, lowest of the text's sentences)
and `findings` (QA). Errors are `{"error": message}` with LibreTranslate's statuses: 400 bad
request, 403 key or origin, 413 body too large (or more new sentences than the queue holds), 503
overloaded (with Retry-After), 500 when the model failed.

Gujarati is the only source: any other pair is a 400 naming it, except the request Weblate makes
to check a new service (see `languages.configuration_check`).
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
from pipeline.layout import SOURCE_LANGUAGE, parse_locale
from pipeline.serve.auth import key_problem
from pipeline.serve.batching import ModelFailed, Overloaded, TooLarge
from pipeline.serve.fields import read_body, request_fields
from pipeline.serve.languages import configuration_check, languages_listing, served_pair
from pipeline.serve.limits import RequestError, TranslateRequest, api_key_field, request_texts, shown, translate_request
from pipeline.serve.service import Service
from pipeline.serve.texts import ServedTexts, Untranslated

_TAG = re.compile(r"<[^>]*>")
RETRY_AFTER = "5"  # seconds a client told 503 should wait; Weblate pauses for 30 minutes anyway
FRONTEND_TIMEOUT = 500  # ms LibreTranslate's page waits after typing before it asks (its default)


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
    settings = service.settings
    in_flight = InFlight(settings.limits.max_requests)

    async def read_fields(request: Request) -> dict:
        """The request's fields, once its origin and key are known to be allowed (RequestError if not)."""
        origin = request.headers.get("origin")
        if not settings.origins.allow(origin):
            raise RequestError(403, f"origin {shown(origin)} is not allowed to call this service")
        fields = request_fields(
            request.scope.get("query_string", b""),
            await read_body(request, settings.limits.max_body),
            request.headers.get("content-type", ""),
            settings.limits,
        )
        problem = key_problem(settings.api_keys, api_key_field(fields))
        if problem is not None:
            raise RequestError(403, problem)
        return fields

    async def languages(request: Request) -> Response:
        return JSONResponse(languages_listing(service.targets))

    async def health(request: Request) -> Response:
        stats = service.batcher.stats
        return JSONResponse(
            {
                "status": "ok",
                "inFlight": in_flight.count,
                "queued": service.batcher.queued,
                "modelCalls": stats.calls,
                "modelSentences": stats.sentences,
                "largestBatch": stats.largest,
                "rejected": stats.rejected,
            }
        )

    async def translate(request: Request) -> Response:
        limits = settings.limits
        try:
            req = translate_request(await read_fields(request), limits)
            if configuration_check(req.source, req.target, req.texts, service.targets):
                return JSONResponse(not_translated(req))
            locale, _ = served_pair(req.source, req.target, service.targets)
            if req.source.strip().lower() == "auto":
                not_gujarati(req)
        except RequestError as exc:
            return error(exc.status, exc.message)
        except PipelineError as exc:
            return error(400, str(exc))
        except ClientDisconnect:
            return Response(status_code=400)  # nobody is there to read it
        if in_flight.full():
            service.batcher.stats.rejected += 1
            return error(
                503,
                f"busy: {limits.max_requests} requests in progress; try again shortly",
                {"Retry-After": RETRY_AFTER},
            )
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

    async def detect(request: Request) -> Response:
        """LibreTranslate's language detection, from the one judgement this service makes: how much
        of the text is in Gujarati script (its only source language)."""
        try:
            texts, _ = request_texts(await read_fields(request), settings.limits)
        except RequestError as exc:
            return error(exc.status, exc.message)
        except ClientDisconnect:
            return Response(status_code=400)
        return JSONResponse([{"confidence": gujarati_share("\n".join(texts)), "language": SOURCE_LANGUAGE}])

    async def frontend_settings(request: Request) -> Response:
        """What LibreTranslate's web page reads before it shows its form: no files, no suggestions."""
        first, keys = service.targets[0], settings.api_keys is not None
        source = {"code": SOURCE_LANGUAGE, "name": parse_locale(SOURCE_LANGUAGE).get_display_name("en")}
        return JSONResponse(
            {
                "charLimit": settings.limits.max_chars,
                "frontendTimeout": FRONTEND_TIMEOUT,
                "apiKeys": keys,
                "keyRequired": keys,
                "suggestions": False,
                "filesTranslation": False,
                "supportedFilesFormat": [],
                "language": {"source": source, "target": {"code": first.code, "name": first.name}},
            }
        )

    async def suggest(request: Request) -> Response:
        return error(403, "Suggestions are disabled on this server.")

    async def translate_file(request: Request) -> Response:
        return error(400, "Files translation are disabled on this server.")

    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error(exc.status_code, exc.detail, exc.headers)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            service.close()  # after uvicorn has let the requests in flight finish

    routes = [
        Route("/languages", languages, methods=["GET"]),
        Route("/translate", translate, methods=["POST"]),
        Route("/detect", detect, methods=["POST"]),
        Route("/frontend/settings", frontend_settings, methods=["GET"]),
        Route("/suggest", suggest, methods=["POST"]),
        Route("/translate_file", translate_file, methods=["POST"]),
        Route("/health", health, methods=["GET"]),
    ]
    return Starlette(
        routes=routes,
        middleware=[settings.origins.middleware()],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )


def not_gujarati(req: TranslateRequest) -> None:
    """With source `auto`, a text whose letters are none of them Gujarati is refused (400): it is
    in a language this service does not translate from."""
    for i, text in enumerate(req.texts):
        plain = _TAG.sub(" ", text) if req.fmt == "html" else text
        if gujarati_share(plain) == 0 and any(unicodedata.category(c)[0] == "L" for c in plain):
            where = f"q[{i}]" if req.batch else "q"
            raise RequestError(
                400,
                f"{where} is not Gujarati (no Gujarati letters in it): this service "
                f"translates from {SOURCE_LANGUAGE} only",
            )


def answer(req: TranslateRequest, served: ServedTexts) -> dict:
    """LibreTranslate's answer, each field a list when q was one."""

    def shaped(values: list):
        return values if req.batch else values[0]

    body = {"translatedText": shaped([s.text for s in served.texts])}
    if req.source.strip().lower() == "auto":
        plain = [_TAG.sub(" ", t) if req.fmt == "html" else t for t in req.texts]
        body["detectedLanguage"] = shaped(
            [{"confidence": gujarati_share(t), "language": SOURCE_LANGUAGE} for t in plain]
        )
    if req.alternatives:
        body["alternatives"] = shaped([[] for _ in req.texts])
    body["confidence"] = shaped([s.confidence for s in served.texts])
    body["findings"] = shaped(
        [
            [{"sentence": sentence, "check": f.check, "message": f.message} for sentence, f in s.findings]
            for s in served.texts
        ]
    )
    return body


def not_translated(req: TranslateRequest) -> dict:
    """The answer to Weblate's configuration check: nothing translated, and a detail saying why."""
    empty = [""] * len(req.texts)
    return {
        "translatedText": empty if req.batch else empty[0],
        "detail": f"this service translates from {SOURCE_LANGUAGE} only; nothing was translated from {req.source[:40]}",
    }


def gujarati_share(text: str) -> float:
    """Percent of the letters of `text` in Gujarati script: the `detectedLanguage` confidence."""
    letters = [c for c in text if unicodedata.category(c)[0] in "LM"]
    if not letters:
        return 0.0
    return round(100 * sum(1 for c in letters if "\u0a80" <= c <= "\u0aff") / len(letters), 1)
