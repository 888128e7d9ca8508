"""How each model family names languages and forces the target language.

- NLLB-200: FLORES-200 codes (`guj_Gujr`, `eng_Latn`, `zho_Hans`) that are tokens of the vocabulary;
  the tokenizer prefixes the source code (`tokenizer.src_lang`), generation is forced to start with
  the target code (`forced_bos_token_id`).
- M2M100: ISO codes (`gu`, `en`, `zh`) as `__gu__` tokens; same scheme, the id comes from
  `tokenizer.get_lang_id`.
- Marian (OPUS-MT): one model per language pair, no language tokens at all.

Everything here works on ISO 639-1 codes as the rest of the pipeline uses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.errors import PipelineError


@dataclass(frozen=True)
class Family:
    name: str
    codes: dict[str, str] | None  # ISO 639-1 -> the model's own code; None: no language tokens


FAMILIES: dict[str, Family] = {
    "nllb": Family("nllb", {"gu": "guj_Gujr", "en": "eng_Latn", "zh": "zho_Hans"}),
    "m2m100": Family("m2m100", {"gu": "gu", "en": "en", "zh": "zh"}),
    "marian": Family("marian", None),
}

# Chinese and Japanese are written without spaces between clauses.
_NO_SPACE_LANGUAGES = {"zh", "ja"}


def family(name: str) -> Family:
    try:
        return FAMILIES[name]
    except KeyError:
        raise PipelineError(f"unknown model family {name!r} (known: {', '.join(FAMILIES)})") from None


def language_code(family_name: str, lang: str) -> str | None:
    """The model's code for ISO language `lang`; None for families without language tokens."""
    fam = family(family_name)
    if fam.codes is None:
        return None
    try:
        return fam.codes[lang]
    except KeyError:
        raise PipelineError(
            f"language {lang!r} is not configured for {family_name} models (known: {', '.join(fam.codes)})"
        ) from None


def prepare_source(family_name: str, tokenizer: Any, src: str) -> None:
    """Make the tokenizer add the source-language token (NLLB, M2M100); no-op for Marian."""
    code = language_code(family_name, src)
    if code is not None:
        tokenizer.src_lang = code


def forced_bos_token_id(family_name: str, tokenizer: Any, tgt: str) -> int | None:
    """The token generation must start with to produce `tgt`; None when the model has no such token."""
    code = language_code(family_name, tgt)
    if code is None:
        return None
    if family_name == "m2m100":
        return tokenizer.get_lang_id(code)
    token_id = tokenizer.convert_tokens_to_ids(code)
    if token_id is None or token_id == tokenizer.unk_token_id:
        raise PipelineError(f"the {family_name} tokenizer has no language token {code!r}")
    return token_id


def language_token_ids(family_name: str, tokenizer: Any) -> set[int]:
    """Language tokens that `skip_special_tokens` does not remove and must be dropped before decoding:
    transformers 5 does not register M2M100's `__en__` tokens as special, so they decode as text."""
    if family_name == "m2m100":
        return set(getattr(tokenizer, "lang_token_to_id", {}).values())
    return set()


def join_pieces(pieces: list[str], tgt: str) -> str:
    """Join translations of the clause pieces of one sentence."""
    sep = "" if tgt in _NO_SPACE_LANGUAGES else " "
    return sep.join(p for p in pieces if p)
