"""How each model family names languages and is told which one to write.

Languages are tags: ISO 639-1 codes, with the script where a language is written in several
("gu", "en", "zh_Hans", "zh_Hant"; a bare "zh" means zh_Hans). A family without a code for the
asked script refuses: it never serves Simplified for Traditional or the other way round.

- NLLB-200: FLORES-200 codes (`guj_Gujr`, `eng_Latn`, `zho_Hans`, `zho_Hant`) that are tokens of
  the vocabulary; the tokenizer prefixes the source code (`tokenizer.src_lang`), generation is
  forced to start with the target code (`forced_bos_token_id`).
- M2M100: ISO codes (`gu`, `en`, `zh`) as `__gu__` tokens; same scheme, the id comes from
  `tokenizer.get_lang_id`. It has one Chinese, mostly Simplified: no zh_Hant.
- MADLAD-400 (T5): the target is a `<2xx>` token put before the source tokens (`<2en>`, `<2zh>`,
  `<2zh_Hant>`, all in its vocabulary); the source language is not named.
- IndicTrans2: FLORES-200 codes (`guj_Gujr`, `eng_Latn`) as whole entries of its source dictionary;
  both come before the source pieces (`guj_Gujr eng_Latn ...`); no Chinese.
- Marian (OPUS-MT): one model per language pair. A model serving several targets (opus-mt-en-zh:
  `>>cmn_Hans<<`, `>>cmn_Hant<<`, `>>yue_Hant<<`, ...) needs its target token before the source
  tokens; a model without such tokens writes its one target.

Every language token reaches the model as its id: the ones put before the source are prepended to
the encoded sentence, never written as text; the ones a tokenizer adds itself are checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pipeline.errors import PipelineError

# How the target language reaches the model.
Steering = Literal["forced_bos", "source_token", "marian", "tags"]


@dataclass(frozen=True)
class Family:
    name: str
    codes: dict[str, str] | None  # language tag -> the model's own code; None: no language tokens
    steering: Steering


FAMILIES: dict[str, Family] = {
    "nllb": Family(
        "nllb", {"gu": "guj_Gujr", "en": "eng_Latn", "zh_Hans": "zho_Hans", "zh_Hant": "zho_Hant"}, "forced_bos"
    ),
    "m2m100": Family("m2m100", {"gu": "gu", "en": "en", "zh_Hans": "zh"}, "forced_bos"),
    "madlad": Family(
        "madlad", {"gu": "<2gu>", "en": "<2en>", "zh_Hans": "<2zh>", "zh_Hant": "<2zh_Hant>"}, "source_token"
    ),
    "indictrans2": Family("indictrans2", {"gu": "guj_Gujr", "en": "eng_Latn"}, "tags"),
    # Target tokens of multi-target OPUS-MT models; single-target ones have none.
    "marian": Family("marian", {"en": ">>eng<<", "zh_Hans": ">>cmn_Hans<<", "zh_Hant": ">>cmn_Hant<<"}, "marian"),
}

# Defaults for a tag without a script (CLDR likely subtags: zh is zh_Hans).
_DEFAULT_SCRIPT = {"zh": "zh_Hans"}
# Chinese and Japanese are written without spaces between clauses.
_NO_SPACE_LANGUAGES = {"zh", "ja"}
_MARIAN_TARGET = re.compile(r"^>>[A-Za-z_]+<<$")
_SCRIPT_NAMES = {"zh_Hans": "Simplified Chinese (zh_Hans)", "zh_Hant": "Traditional Chinese (zh_Hant)"}


def family(name: str) -> Family:
    try:
        return FAMILIES[name]
    except KeyError:
        raise PipelineError(f"unknown model family {name!r} (known: {', '.join(FAMILIES)})") from None


def canonical_tag(lang: str) -> str:
    """`zh` → `zh_Hans`; every other tag as it is."""
    return _DEFAULT_SCRIPT.get(lang, lang)


def language_of(tag: str) -> str:
    return tag.split("_")[0]


def can_write(family_name: str, tag: str) -> bool:
    """Whether models of this family can be told to write `tag` (Marian: only when the model
    has the target token, checked on loading)."""
    codes = family(family_name).codes
    return codes is not None and canonical_tag(tag) in codes


def language_code(family_name: str, lang: str) -> str | None:
    """The model's code for language tag `lang`; None for families without language tokens.
    A tag the family has no code for is a PipelineError saying which families can write it."""
    fam = family(family_name)
    if fam.steering == "marian":
        return None
    tag = canonical_tag(lang)
    if fam.codes is not None and tag in fam.codes:
        return fam.codes[tag]
    raise PipelineError(cannot_write_message(family_name, tag))


def cannot_write_message(family_name: str, tag: str) -> str:
    what = _SCRIPT_NAMES.get(tag, repr(tag))
    able = [name for name, fam in FAMILIES.items() if fam.codes and tag in fam.codes and name != family_name]
    known = ", ".join(sorted(FAMILIES[family_name].codes or {})) or "none"
    hint = f"; route it to a {' or '.join(able)} model in models.yaml" if able else ""
    return f"{family_name} models cannot write {what} (their targets here: {known}){hint}"


def prepare_source(family_name: str, tokenizer: Any, src: str) -> None:
    """Make the tokenizer add the source-language token (NLLB, M2M100); no-op for the others."""
    if family(family_name).steering == "forced_bos":
        tokenizer.src_lang = language_code(family_name, src)


def forced_bos_token_id(family_name: str, tokenizer: Any, tgt: str) -> int | None:
    """The token generation must start with to produce `tgt`; None when the model has no such token."""
    if family(family_name).steering != "forced_bos":
        return None
    code = language_code(family_name, tgt)
    if family_name == "m2m100":
        return tokenizer.get_lang_id(code)
    return _token_id(family_name, tokenizer, code)


def target_token_id(family_name: str, tokenizer: Any, tgt: str) -> int | None:
    """The id of the token put before every source sentence to choose the target (`<2en>` for
    MADLAD-400, `>>cmn_Hant<<` for a multi-target OPUS-MT model); None for families that have none.

    The id goes to the model as it is, never as text for the tokenizer to turn back into a token:
    transformers 5.25 encodes `"<2en> ..."` as `▁`, `<2en>`, ... with a sentencepiece T5 tokenizer,
    and other versions may split it further, which would translate into the wrong language."""
    fam = family(family_name)
    tag = canonical_tag(tgt)
    if fam.steering == "source_token":
        code = language_code(family_name, tag)
        return _token_id(family_name, tokenizer, code)
    if fam.steering == "marian":
        targets = marian_targets(tokenizer)
        if not targets:
            if tag in _SCRIPT_NAMES:  # one fixed target: nothing says which script it writes
                raise PipelineError(
                    f"this Marian model has no target-language tokens, so it cannot be asked for "
                    f"{_SCRIPT_NAMES[tag]}; use a model with >>cmn_Hans<< / >>cmn_Hant<< tokens (opus-mt-en-zh)"
                )
            return None
        code = (fam.codes or {}).get(tag)
        if code not in targets:
            raise PipelineError(
                f"this Marian model cannot write {_SCRIPT_NAMES.get(tag, repr(tag))}: it has no {code or tag!r} "
                f"target token (it has: {', '.join(sorted(targets)[:12])})"
            )
        return _token_id(family_name, tokenizer, code)
    return None


def check_source_token(family_name: str, tokenizer: Any, src: str) -> None:
    """For families whose tokenizer adds the source-language token itself (NLLB, M2M100), check
    that it really does: the first id of an encoded sentence must be that token's id. A tokenizer
    that encodes otherwise would feed the model an unnamed source language."""
    if family(family_name).steering != "forced_bos":
        return
    code = language_code(family_name, src)
    wanted = tokenizer.get_lang_id(code) if family_name == "m2m100" else _token_id(family_name, tokenizer, code)
    ids = tokenizer("ગુજરાત").input_ids
    if not ids or ids[0] != wanted:
        raise PipelineError(
            f"the {family_name} tokenizer ({type(tokenizer).__name__}, transformers {_transformers_version()}) "
            f"does not start a sentence with the source-language token {code!r} (id {wanted}); it encodes "
            f"'ગુજરાત' as {ids[:6]}. Install the transformers release pinned in requirements/run.txt"
        )


def _token_id(family_name: str, tokenizer: Any, token: str) -> int:
    """The id of `token`, which must be one token of the vocabulary (not <unk>)."""
    ids = tokenizer.convert_tokens_to_ids([token])
    if not ids or ids[0] is None or ids[0] == tokenizer.unk_token_id:
        raise PipelineError(
            f"the {family_name} tokenizer ({type(tokenizer).__name__}, transformers {_transformers_version()}) "
            f"has no language token {token!r}: the model could not be told which language to write"
        )
    return ids[0]


def _transformers_version() -> str:
    try:
        import transformers
    except ImportError:  # a tokenizer without transformers: say so rather than fail here
        return "not installed"
    return transformers.__version__


def marian_targets(tokenizer: Any) -> set[str]:
    """The `>>xxx<<` target tokens of a Marian vocabulary (empty for a single-target model)."""
    return {t for t in tokenizer.get_vocab() if _MARIAN_TARGET.match(t)}


def language_token_ids(family_name: str, tokenizer: Any) -> set[int]:
    """Language tokens that `skip_special_tokens` does not remove and must be dropped before decoding:
    transformers 5 does not register M2M100's `__en__` tokens as special, so they decode as text."""
    if family_name == "m2m100":
        return set(getattr(tokenizer, "lang_token_to_id", {}).values())
    return set()


def join_pieces(pieces: list[str], tgt: str) -> str:
    """Join translations of the clause pieces of one sentence."""
    sep = "" if language_of(tgt) in _NO_SPACE_LANGUAGES else " "
    return sep.join(p for p in pieces if p)
