"""Which backend holds an index: chosen by `store` in the configuration, recorded in the manifest."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.config import Config
from bot.models import Chunk
from bot.store.base import ChunkStore
from bot.store.faiss_store import FaissStore


def create_store(cfg: Config, dim: int) -> ChunkStore:
    """An empty store of the configured backend."""
    if cfg.store == "milvus":
        from bot.store.milvus_store import MilvusStore

        return MilvusStore.create(cfg, dim)
    return FaissStore.create(dim)


def load_store(cfg: Config, manifest, chunks: Sequence[Chunk], vids: np.ndarray,
               tokens: Sequence[list[str]]) -> ChunkStore:
    """The store of the manifest's generation (of the backend the manifest names)."""
    if manifest.store == "milvus":
        from bot.store.milvus_store import MilvusStore

        return MilvusStore.load(cfg, manifest.generation, manifest.dim, vids, tokens)
    return FaissStore.load(cfg.index_dir, manifest.generation, chunks, vids, tokens)
