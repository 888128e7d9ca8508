"""A model folder checked before a backend loads it: the files its family's tokenizer is built
from, and weights that are whole.

transformers builds a tokenizer from a folder that lacks the tokenizer files either not at all
(an error deep inside, with no word of what is missing) or as a tokenizer with no vocabulary, whose
every translation is empty: a run then reports sentences translated and writes empty msgstrs. A
cut-off `model.safetensors` (an interrupted copy or download) fails in the safetensors parser.
Both become one message naming the folder and the file, before anything is loaded. The check
reads only file names and the safetensors headers (a few kilobytes), so it costs nothing.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

from pipeline.config import ModelSpec
from pipeline.errors import ModelUnavailable

# The files each family's tokenizer is built from: any one of the sets, whole.
TOKENIZER_FILES: dict[str, tuple[tuple[str, ...], ...]] = {
    "nllb": (("tokenizer.json",), ("sentencepiece.bpe.model",)),
    "m2m100": (("vocab.json", "sentencepiece.bpe.model"), ("vocab.json", "spm.model")),
    "marian": (("vocab.json", "source.spm", "target.spm"),),
    "madlad": (("tokenizer.json",), ("spiece.model",)),
}
WEIGHT_FILES = (
    "model.safetensors",
    "model.safetensors.index.json",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
)


def check_model_folder(spec: ModelSpec, folder: Path) -> None:
    """ModelUnavailable unless `folder` holds a config, the tokenizer files of `spec`'s family and
    whole weights."""

    def missing(what: str) -> ModelUnavailable:
        return ModelUnavailable(
            f"model {spec.name!r}: folder {folder} does not hold a loadable model and "
            f"tokenizer: {what}; save both there with save_pretrained (or fetch them again)"
        )

    if not (folder / "config.json").is_file():
        raise missing("no config.json")
    if not any((folder / name).is_file() for name in WEIGHT_FILES):
        raise missing(f"no weights ({' or '.join(WEIGHT_FILES[::2])})")
    options = TOKENIZER_FILES.get(spec.family)
    if options is not None and not any(all((folder / name).is_file() for name in files) for files in options):
        wanted = " or ".join(" + ".join(files) for files in options)
        raise missing(f"no tokenizer files (a {spec.family} model needs {wanted})")
    for weights in _safetensors_files(folder):
        problem = safetensors_problem(weights)
        if problem is not None:
            raise ModelUnavailable(f"model {spec.name!r}: {weights} {problem}; copy or download it again")


def _safetensors_files(folder: Path) -> list[Path]:
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        try:
            shards = set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values())
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ModelUnavailable(f"{index}: not a safetensors index (a damaged file?)") from None
        return [folder / shard for shard in sorted(shards)]
    return [folder / "model.safetensors"] if (folder / "model.safetensors").is_file() else []


def safetensors_problem(path: Path) -> str | None:
    """What is wrong with a safetensors file's layout (missing, cut short, a header that is not
    one), from its header alone; None when it is whole. The format: an 8-byte little-endian header
    length, a JSON header giving each tensor's byte range, then the data."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8)
            if len(head) < 8:
                return f"is cut short ({size} bytes): not a safetensors file"
            (length,) = struct.unpack("<Q", head)
            if length > size - 8:
                return f"is cut short ({size:,} bytes, its header alone needs {length + 8:,})"
            header = json.loads(f.read(length))
    except FileNotFoundError:
        return "is missing"
    except (ValueError, UnicodeDecodeError):
        return "has a damaged header (not a safetensors file?)"
    if not isinstance(header, dict):
        return "has a damaged header (not a safetensors file?)"
    ends = [
        t["data_offsets"][1]
        for k, t in header.items()
        if k != "__metadata__"
        and isinstance(t, dict)
        and isinstance(t.get("data_offsets"), list)
        and len(t["data_offsets"]) == 2
        and isinstance(t["data_offsets"][1], int)
    ]
    expected = 8 + length + max(ends, default=0)
    if size < expected:
        return f"is cut short ({size:,} bytes of {expected:,})"
    return None


def cached_snapshot(spec: ModelSpec) -> Path | None:
    """The folder of `spec`'s pinned snapshot in the Hugging Face cache, None when not cached."""
    if spec.local_path is not None:
        return spec.local_path
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(spec.source, revision=spec.revision, local_files_only=True))
    except Exception:  # not cached (LocalEntryNotFoundError and friends)
        return None


def check_model_files(spec: ModelSpec) -> None:
    """`check_model_folder` on the local folder or the cached snapshot; nothing when neither is
    there (the loader then says how to fetch the model)."""
    folder = cached_snapshot(spec)
    if folder is not None:
        check_model_folder(spec, folder)
