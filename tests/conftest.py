"""Shared fixtures. The whole test session runs offline: nothing may try the network."""

from __future__ import annotations

import os

# Before anything imports huggingface_hub, which reads these once, at import time.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# The tiny models gain nothing from threads, and on a loaded 2-core machine torch threads that
# wait for each other made the suite 10-30x slower; subprocesses (the CLI tests) inherit this.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import importlib.util  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

TESTS = Path(__file__).resolve().parent
# Persistent between runs (rebuilt when tests/make_tiny_models.py or its data change); the folder
# ignores itself in git.
TINY_MODELS_CACHE = TESTS / ".tiny-models-cache"
# CTranslate2 conversions of the tiny models go there too, never into the user's cache.
os.environ["PIPELINE_CT2_CACHE"] = str(TINY_MODELS_CACHE / "ctranslate2")


def load_builder():
    """tests/make_tiny_models.py as a module, whatever pytest's import mode."""
    spec = importlib.util.spec_from_file_location("make_tiny_models", TESTS / "make_tiny_models.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def tiny_models() -> Path:
    """Path of models.yaml routing gu-en and gu-zh to a tiny random NLLB; models-m2m100.yaml and
    models-marian.yaml lie beside it."""
    return load_builder().build_tiny_models(TINY_MODELS_CACHE)


@pytest.fixture(scope="session")
def trained_model(tiny_models) -> Path:
    """Path of models-trained.yaml: a tiny NLLB trained to reproduce tests/make_trained_model.PAIRS."""
    spec = importlib.util.spec_from_file_location("make_trained_model", TESTS / "make_trained_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_trained_model(TINY_MODELS_CACHE)
