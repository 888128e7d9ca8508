"""Cross-origin requests: which web pages may call the service from a browser (`--cors-origins`).

LibreTranslate answers every origin (`Access-Control-Allow-Origin: *`), which is what browser
tools calling it expect, and the default here. `--cors-origins` narrows it to a list of origins.
CORS only decides whether the browser lets a page read the answer; a form POST from a page needs
no preflight and reaches the server anyway, so a request from an origin not allowed is refused
(403) before it is read, and never costs a model call.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from pipeline.errors import PipelineError

ANY = "*"


@dataclass(frozen=True)
class Origins:
    """The origins whose pages may call the service: `("*",)` any, `()` none."""

    allowed: tuple[str, ...] = (ANY,)

    def allow(self, origin: str | None) -> bool:
        """Whether a request carrying `origin` (None: no Origin header, not a browser page) is served."""
        return origin is None or ANY in self.allowed or origin in self.allowed

    def middleware(self) -> Middleware:
        return Middleware(
            CORSMiddleware,
            allow_origins=list(self.allowed),
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
            max_age=600,
        )


def parse_origins(text: str) -> Origins:
    """`--cors-origins`: `*`, or origins (`https://example.org`, `http://localhost:8080`) separated
    by commas; an empty value allows no page. A PipelineError names what is not an origin."""
    if text.strip() == ANY:
        return Origins()
    allowed = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        if item == ANY:
            raise PipelineError("--cors-origins: * allows every origin and cannot be listed with others")
        try:
            parts = urlsplit(item)
            parts.port  # noqa: B018 -- a port that is no number raises here
        except ValueError:
            parts = None
        if (
            parts is None
            or parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path
            or parts.query
            or parts.fragment
            or parts.username
            or parts.password
        ):
            raise PipelineError(
                f"--cors-origins: {item!r} is not an origin; write it as a browser sends it, "
                "scheme://host[:port] with no path, e.g. https://translate.example.org"
            )
        allowed.append(item.lower())
    return Origins(tuple(dict.fromkeys(allowed)))
