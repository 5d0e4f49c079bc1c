"""The store protocol: what the indexer writes to and the retriever searches, whatever the backend.

A backend holds, per chunk id (a stable int64, see `bot.chunk.chunk_id_int`), the chunk's vector, what its
lexical search needs and the document id used as a filter. The retriever fuses the two score lists; it never
knows which backend answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from bot.models import Chunk


@runtime_checkable
class ChunkStore(Protocol):
    name: str  # "faiss", "milvus"

    def __len__(self) -> int: ...

    def add(self, chunks: Sequence[Chunk], vids: np.ndarray, vectors: np.ndarray,
            tokens: Sequence[list[str]]) -> None: ...

    def remove(self, vids: np.ndarray) -> None: ...

    def set_tokens(self, vids: np.ndarray, tokens: Sequence[list[str]]) -> None:
        """New lexical tokens for stored chunks (the index's vocabulary changed); vectors stay."""

    def dense(self, query: np.ndarray, k: int, doc_ids: Sequence[str] | None = None) -> dict[int, float]:
        """Chunk id -> cosine of the k nearest chunks (of `doc_ids` only, when given)."""

    def lexical(self, tokens: list[str], text: str, k: int, doc_ids: Sequence[str] | None = None) -> dict[int, float]:
        """Chunk id -> BM25 score of the k best chunks for the query tokens (or its normalized text)."""

    def vectors(self, vids: np.ndarray) -> np.ndarray:
        """The stored vectors of these chunk ids, in order."""

    def save(self, index_dir: Path, generation: int) -> None:
        """Persist this generation; must be complete on disk before the manifest names it."""
