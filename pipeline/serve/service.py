"""What a running server holds: the configuration, the loaded models, the memory, the batcher.

Everything heavy happens once, before the first request: the models file is read, every routed
model is loaded (and asked whether it can write each target), and the translation memory of the
work directory is opened. The server never takes the work directory's lock: it only reads and
adds rows to the memory, which `pipeline run` may do at the same time (see `pipeline.memory`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Config, ModelSpec
from pipeline.errors import PipelineError
from pipeline.layout import MEMORY_FILE, SOURCE_LANGUAGE
from pipeline.memory import TranslationMemory
from pipeline.mt import translate_scored
from pipeline.mt.executors import LocalExecutor
from pipeline.serve.batching import BatchSettings, DynamicBatcher
from pipeline.serve.connections import Connections
from pipeline.serve.cors import Origins
from pipeline.serve.languages import Target, routed_targets
from pipeline.serve.limits import Limits
from pipeline.serve.texts import ServedTexts, translate_texts


@dataclass(frozen=True)
class ServeSettings:
    limits: Limits = Limits()
    batching: BatchSettings = BatchSettings()
    api_keys: tuple[str, ...] | None = None  # None: no key needed
    origins: Origins = Origins()  # the web pages that may call the service (default: any)
    connections: Connections = Connections()


class Service:
    """The translation side of the server, free of HTTP: `translate` is what `POST /translate` runs."""

    def __init__(
        self,
        config: Config,
        workdir: Path,
        settings: ServeSettings = ServeSettings(),
        factory: Callable[[ModelSpec], object] | None = None,
        log: Callable[[str], None] = print,
    ):
        self.config = config
        self.settings = settings
        self.models = LocalExecutor(factory)  # each model loaded once, shared by the routes using it
        self.targets: list[Target]
        self.targets, left_out = routed_targets(config, usable=self._check_target)
        for tag, reason in left_out.items():
            log(f"not serving {tag}: {reason}")
        if not self.targets:
            raise PipelineError(
                f"no target can be served from {SOURCE_LANGUAGE}: "
                + ("; ".join(left_out.values()) or "no pairs from gu"),
                path=config.path,
            )
        self.memory = TranslationMemory(Path(workdir) / MEMORY_FILE, threads=True)
        self.batcher = DynamicBatcher(self.models.translator, self.memory, settings.batching)

    def _check_target(self, tag: str) -> None:
        """Load the route's models now, and let them refuse a target they cannot write."""
        route = self.config.route_for(tag)
        translate_scored(self.models.translator(route), [], SOURCE_LANGUAGE, route.tgt)

    def translate(self, texts: list[str], fmt: str, locale: str) -> ServedTexts:
        return translate_texts(texts, fmt, locale, self.config, self.memory, self.batcher)

    def close(self) -> None:
        self.batcher.close()
        self.memory.close()
        self.models.close()
