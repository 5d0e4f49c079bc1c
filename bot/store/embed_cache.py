"""A disk cache of document embeddings: a text one model has embedded is never embedded by it again.

Rebuilds (a new parser or chunker version, switching the store, a damaged index) then cost reading and
chunking, not the embedder: it is the slow stage (about 10 chunks/s on 2 cores). Keys are the embedder's id, its
dimension and the exact text, so a new model or model version misses and embeds afresh. The cache is an
optimization: when its file cannot be used, a warning is logged and the build embeds everything as before.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger("bot.index")
_BATCH = 500  # keys per SELECT (SQLite allows 999 parameters in old builds)


def _key(embedder_id: str, dim: int, text: str) -> bytes:
    return hashlib.sha256(f"{embedder_id}\0{dim}\0{text}".encode("utf-8", "surrogatepass")).digest()[:20]


class EmbeddingCache:
    """Vectors by (embedder, text) in one SQLite file, safe to share between processes (each write a transaction)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")

    def get(self, keys: Sequence[bytes], dim: int) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        for i in range(0, len(keys), _BATCH):
            part = keys[i:i + _BATCH]
            rows = self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})",
                                    part)
            found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows if len(v) == dim * 4)
        return found

    def put(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                                 zip(keys, (np.ascontiguousarray(v, dtype=np.float32).tobytes() for v in vectors)))

    def keep_only(self, keys: Sequence[bytes]) -> int:
        """Drop every vector not under `keys` (an index's own cache after a full build); returns how many."""
        with self._db:
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key BLOB PRIMARY KEY)")
            self._db.execute("DELETE FROM live")
            self._db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((k,) for k in keys))
            return self._db.execute("DELETE FROM vectors WHERE key NOT IN (SELECT key FROM live)").rowcount

    def close(self) -> None:
        self._db.close()


def open_cache(path: Path | None, own: bool = False) -> EmbeddingCache | None:
    """The cache at `path`, or None (none configured, or not a usable SQLite file). A broken cache the index owns
    (`own`: the default file inside the index directory) is replaced by an empty one."""
    if path is None:
        return None
    try:
        return EmbeddingCache(path)
    except sqlite3.DatabaseError as exc:
        if own:
            log.warning("embedding cache %s was damaged (%s): starting a new one", path.name, exc)
            path.unlink(missing_ok=True)
            return open_cache(path)
        log.warning("embedding cache %s not used (%s): every chunk is embedded; delete the file to start a new one",
                    path, exc)
    except (sqlite3.Error, OSError) as exc:
        log.warning("embedding cache %s not used (%s): every chunk is embedded", path, exc)
    return None


def embed_cached(embedder, texts: Sequence[str], cache: EmbeddingCache | None,
                 embed: Callable[[Sequence[str]], np.ndarray]) -> tuple[np.ndarray, list[bytes]]:
    """Vectors of `texts` (cached ones read, the rest computed by `embed` and stored) and their cache keys."""
    dim = int(embedder.dim)
    keys = [_key(embedder.id, dim, t) for t in texts]
    try:
        found = cache.get(list(dict.fromkeys(keys)), dim) if cache else {}
    except sqlite3.Error as exc:
        log.warning("embedding cache not readable (%s): embedding every chunk", exc)
        cache, found = None, {}
    missing = list(dict.fromkeys(k for k in keys if k not in found))
    if missing:
        text_of = dict(zip(keys, texts))
        computed = embed([text_of[k] for k in missing])
        found.update(zip(missing, computed))
        if cache:
            try:
                cache.put(missing, computed)
            except sqlite3.Error as exc:
                log.warning("embedding cache not writable (%s): vectors not kept for the next build", exc)
    vectors = np.vstack([found[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, dim), np.float32)
    return vectors, keys
