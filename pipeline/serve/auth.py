"""API keys: `--api-keys FILE` makes one of the file's keys required on `POST /translate`.

One key a line; blank lines and lines starting with `#` are ignored. The file may come from a
Windows editor: a byte-order mark (UTF-8, UTF-16 as Notepad's "Unicode", UTF-32) and CRLF line
ends are read as the editor meant them. Keys travel as LibreTranslate clients send them, the
`api_key` field of the body or the URL (Weblate's "API key" setting, libretranslatepy's
`api_key`, deep-translator's). `POST /detect` needs one too; `/languages`, `/frontend/settings`
and `/health` stay open, as in LibreTranslate: Weblate reads the languages without a key.
"""

from __future__ import annotations

import codecs
import hmac
import unicodedata
from pathlib import Path

from pipeline.errors import PipelineError

# Byte-order marks, as Windows editors write them (Notepad: UTF-8 or UTF-16 LE "Unicode"); the
# UTF-32 marks first, since UTF-32 LE's begins with UTF-16 LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_keys_file(data: bytes, path: Path) -> str:
    """The text of a keys file as its editor saved it: UTF-8, or UTF-8, UTF-16 or UTF-32 after a
    byte-order mark (dropped); undecodable bytes are a PipelineError naming the file and line."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise PipelineError(
            f"not valid {encoding.removesuffix('-sig').upper()} at byte {exc.start}: write one API "
            "key a line, saved as UTF-8",
            path=path,
            line=line,
        ) from None


def load_api_keys(path: Path) -> tuple[str, ...]:
    """The keys in `path`, or a PipelineError naming the file (and line): unreadable, not text,
    a key with a space or an invisible character in it, no key. Windows line ends are fine."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise PipelineError(f"cannot read the API keys: {exc.strerror or exc}", path=path) from None
    keys = []
    for number, line in enumerate(decode_keys_file(data, path).splitlines(), 1):
        key = line.strip()
        if not key or key.startswith("#"):
            continue
        if any(c.isspace() for c in key):
            raise PipelineError("an API key has a space in it: write one key a line", path=path, line=number)
        hidden = next((c for c in key if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn")), None)
        if hidden is not None:
            raise PipelineError(
                f"an API key holds an invisible character (U+{ord(hidden):04X}): write one key a line, saved as UTF-8",
                path=path,
                line=number,
            )
        keys.append(key)
    if not keys:
        raise PipelineError("no API keys in the file: write one key a line", path=path)
    return tuple(dict.fromkeys(keys))


def key_problem(keys: tuple[str, ...] | None, given: str | None) -> str | None:
    """Why a request with `given` as its key is refused (None: it is not). Every key is compared
    in constant time, so the answer's timing says nothing about how close a guess was."""
    if keys is None:
        return None
    if not given:
        return "an API key is required: send it as api_key"
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(key.encode("utf-8"), given.encode("utf-8"))
    return None if matched else "Invalid API key"
