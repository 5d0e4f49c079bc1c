"""The Milvus backend: vectors, BM25 weights of the index's own tokens and the doc id filter in one collection.

`milvus_uri` is a local file (Milvus Lite, default `<index_dir>/milvus.db`) or a server (`http://host:19530`).
pymilvus is imported and the client created on first use, never at import.

Generations (crash safety): a full build writes a new collection (`govbot_<index key>_<gen>`); an update
upserts into it rows stamped gen_from/gen_to and every search keeps `gen_from <= G < gen_to` for the manifest's
generation G, so the manifest switch stays the single commit point; rows of a crashed write are reset at the
next save, and older collections are dropped once a newer manifest has been opened.

Lexical search: each row holds a sparse vector of BM25 document weights, tf / (tf + k1·(1 - b + b·dl/avgdl)), of
the same tokens the FAISS backend indexes (the index's jieba dictionary with its place and body names, plus
bigrams), and a query is the sparse vector of idf·count of its tokens, idf from document frequencies the store
keeps over the live rows; Milvus scores it by inner product. That is the FAISS backend's BM25, whatever the
segments: Milvus Lite's own BM25 function scores each segment with that segment's statistics (its documented
TODO), so the chunks of a report added by an update (a small new segment) were scored on another scale. Rows
keep the document weights of the average length at the time they were written (it drifts little); tokens are
hashed to 31-bit dimensions. When the index's vocabulary changes the tokens of stored chunks, their weights are
rewritten in place (a reader still on the previous generation sees the new weights; which rows it sees does not
change).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.config import Config
from bot.files import atomic_write
from bot.models import Chunk
from bot.store.lexical import K1, B

LIVE = 2**62  # gen_to of a row no generation has removed
LEXICAL = "bm25-ip-1"  # how rows hold lexical data; a collection written otherwise needs a rebuild
BATCH = 2_000
NO_TOKENS = {2**31: 1.0}  # a chunk without tokens: Milvus wants a nonzero weight; no token hashes to this dimension
_clients: dict[str, object] = {}
_lock = threading.Lock()


def milvus_uri(cfg: Config) -> str:
    return cfg.milvus_uri or str(Path(cfg.index_dir).resolve() / "milvus.db")


def marker_path(index_dir: Path, generation: int) -> Path:
    """Names the collection of a generation; matches the generation-file pattern, so numbers are never reused."""
    return Path(index_dir) / f"vectors-{generation}.milvus"


def client(uri: str):
    """One MilvusClient per URI and process (Milvus Lite serves a db file to one client)."""
    with _lock:
        if uri not in _clients:
            from pymilvus import MilvusClient

            if "://" not in uri:
                Path(uri).parent.mkdir(parents=True, exist_ok=True)
            _clients[uri] = MilvusClient(uri)
        return _clients[uri]


@functools.lru_cache(maxsize=1 << 20)
def token_dim(token: str) -> int:
    """The sparse dimension of a token: 31 bits of its BLAKE2 hash (stable across processes)."""
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=4).digest(), "little") & 0x7FFFFFFF


class Bm25Stats:
    """Document frequencies and lengths of the live rows: document weights on write, idf at query time."""

    def __init__(self) -> None:
        self.df: Counter[str] = Counter()
        self.rows, self.length = 0, 0

    def count(self, tokens: list[str], sign: int = 1) -> None:
        self.df.update({t: sign for t in set(tokens)})
        self.rows += sign
        self.length += sign * max(len(tokens), 1)

    def doc_vector(self, tokens: list[str]) -> dict[int, float]:
        norm = K1 * ((1 - B) + B * max(len(tokens), 1) / max(self.length / max(self.rows, 1), 1e-9))
        out: dict[int, float] = {}
        for t, tf in Counter(tokens).items():
            dim = token_dim(t)
            out[dim] = out.get(dim, 0.0) + tf / (tf + norm)
        return out

    def query_vector(self, tokens: list[str]) -> dict[int, float]:
        out: dict[int, float] = {}
        for t, n in Counter(tokens).items():
            if self.df.get(t, 0) > 0:
                dim = token_dim(t)
                idf = math.log1p((self.rows - self.df[t] + 0.5) / (self.df[t] + 0.5))
                out[dim] = out.get(dim, 0.0) + n * idf
        return out


def _quote(values) -> str:
    return "[" + ",".join(json.dumps(str(v), ensure_ascii=False) for v in values) + "]"


class MilvusStore:
    """ChunkStore over one Milvus collection; changes are buffered and written by `save`."""

    name = "milvus"

    def __init__(self, uri: str, index_dir: Path, dim: int, collection: str | None = None, generation: int = 0,
                 count: int = 0):
        self.uri, self.index_dir, self.dim = uri, Path(index_dir), int(dim)
        self.collection, self.generation = collection, generation  # None until the first save of a build
        self._count = count
        self._added: dict[int, dict] = {}
        self._removed: set[int] = set()
        self._retokened: set[int] = set()  # stored rows whose tokens changed: new weights on save
        self._tokens: dict[int, list[str]] = {}  # tokens of every row this store sees (for the statistics)
        self.stats = Bm25Stats()

    def _remember(self, vids, tokens) -> None:
        for v, t in zip(np.asarray(vids, dtype=np.int64).tolist(), tokens):
            self._forget(v)
            self._tokens[v] = t
            self.stats.count(t)

    def _forget(self, v: int) -> None:
        old = self._tokens.pop(v, None)
        if old is not None:
            self.stats.count(old, -1)

    # ------------------------------------------------------------ lifecycle
    @classmethod
    def create(cls, cfg: Config, dim: int) -> MilvusStore:
        return cls(milvus_uri(cfg), cfg.index_dir, dim)

    @classmethod
    def load(cls, cfg: Config, generation: int, dim: int, vids: np.ndarray,
             tokens: Sequence[list[str]]) -> MilvusStore:
        from pymilvus import MilvusException

        info = json.loads(marker_path(cfg.index_dir, generation).read_text(encoding="utf-8"))
        if info.get("lexical") != LEXICAL:
            raise ValueError("the Milvus collection was written by an older version of the bot")
        store = cls(milvus_uri(cfg), cfg.index_dir, dim, info["collection"], generation, len(vids))
        store._remember(vids, tokens)
        try:
            if not store._client.has_collection(store.collection):
                raise ValueError(f"Milvus collection {store.collection} is missing at {store.uri}")
            store._client.load_collection(store.collection)
            store._drop_older_collections()
        except MilvusException as exc:  # the indexer reports it as a damaged index: rebuild
            raise RuntimeError(f"Milvus at {store.uri}: {exc}") from exc
        return store

    @property
    def _client(self):
        return client(self.uri)

    def _prefix(self) -> str:
        key = hashlib.sha256(str(self.index_dir.resolve()).encode()).hexdigest()[:10]
        return f"govbot_{key}_"

    def _drop_older_collections(self) -> None:
        prefix, mine = self._prefix(), int(self.collection.rsplit("_", 1)[1])
        for name in self._client.list_collections():
            if name.startswith(prefix) and name[len(prefix):].isdigit() and int(name[len(prefix):]) < mine:
                self._client.drop_collection(name)

    def _create_collection(self, name: str) -> None:
        from pymilvus import DataType, MilvusClient

        c = self._client
        if c.has_collection(name):  # leftover of a crashed build with this number
            c.drop_collection(name)
        schema = MilvusClient.create_schema(auto_id=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("doc_id", DataType.VARCHAR, max_length=512)
        schema.add_field("gen_from", DataType.INT64)
        schema.add_field("gen_to", DataType.INT64)
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)  # BM25 document weights (module docstring)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=self.dim)
        params = c.prepare_index_params()
        # exact search in Milvus Lite; a server picks its own ANN index (AUTOINDEX, HNSW by default)
        params.add_index(field_name="vector", index_type="FLAT" if "://" not in self.uri else "AUTOINDEX",
                         metric_type="IP")
        params.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
        c.create_collection(name, schema=schema, index_params=params)

    # ------------------------------------------------------------ writes (buffered until save)
    def __len__(self) -> int:
        return self._count

    def add(self, chunks: Sequence[Chunk], vids, vectors, tokens) -> None:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(chunks), self.dim)
        vids = np.asarray(vids, dtype=np.int64)
        for c, v, vec in zip(chunks, vids.tolist(), vectors):
            if v in self._removed:
                self._removed.discard(v)
            elif v not in self._added:
                self._count += 1
            self._added[v] = {"id": v, "doc_id": c.doc_id, "vector": vec}
        self._remember(vids, tokens)

    def remove(self, vids) -> None:
        for v in np.asarray(vids, dtype=np.int64).tolist():
            self._forget(v)
            self._retokened.discard(v)
            if self._added.pop(v, None) is not None:
                self._count -= 1
            elif v not in self._removed:
                self._removed.add(v)
                self._count -= 1

    def set_tokens(self, vids, tokens) -> None:
        """New tokens for stored rows: the statistics change now, the weights of changed rows on save."""
        for v, t in zip(np.asarray(vids, dtype=np.int64).tolist(), tokens):
            if v in self._tokens and self._tokens[v] != t:
                self._remember([v], [t])
                if v not in self._added:
                    self._retokened.add(v)

    def _rows(self, expr: str) -> list[dict]:
        it = self._client.query_iterator(self.collection, batch_size=BATCH, filter=expr,
                                         output_fields=["id", "doc_id", "sparse", "vector", "gen_from", "gen_to"])
        rows = []
        while batch := it.next():
            rows.extend(dict(r) for r in batch)
        it.close()
        return rows

    def _upsert(self, rows: list[dict]) -> None:
        for i in range(0, len(rows), BATCH):
            part = [{**r, "vector": np.asarray(r["vector"], dtype=np.float32).tolist(),
                     "sparse": r["sparse"] or NO_TOKENS} for r in rows[i:i + BATCH]]
            self._client.upsert(self.collection, part)

    def _live_rows(self, ids: set[int]) -> list[dict]:
        ids = sorted(ids)
        return [r for i in range(0, len(ids), BATCH) for r in self._rows(f"id in {ids[i:i + BATCH]} and gen_to == {LIVE}")]

    def _reset_and_retire(self, generation: int) -> None:
        """Before writing `generation` into the collection of the current one: drop leftovers, retire removed rows."""
        base = self.generation
        # leftovers of a write that crashed before its manifest switch, and rows no generation sees any more
        self._client.delete(self.collection, filter=f"gen_from > {base} or gen_to <= {base}")
        stale = self._rows(f"gen_to > {base} and gen_to < {LIVE}")
        self._upsert([{**r, "gen_to": LIVE} for r in stale])
        self._upsert([{**r, "gen_to": generation} for r in self._live_rows(self._removed)])
        # new tokens of kept rows (the index's vocabulary changed) are written in place: weights only
        self._upsert([{**r, "sparse": self.stats.doc_vector(self._tokens[int(r["id"])])}
                      for r in self._live_rows(self._retokened)])

    def save(self, index_dir: Path, generation: int) -> None:
        marker = json.dumps({"collection": self.collection or f"{self._prefix()}{generation}", "lexical": LEXICAL})
        if self.collection is None:  # a build: a fresh collection, the old index stays intact until the switch
            self.collection = f"{self._prefix()}{generation}"
            atomic_write(marker_path(index_dir, generation), marker)
            self._create_collection(self.collection)
        else:
            atomic_write(marker_path(index_dir, generation), marker)
            self._reset_and_retire(generation)
        self._upsert([{**r, "sparse": self.stats.doc_vector(self._tokens[r["id"]]), "gen_from": generation,
                       "gen_to": LIVE} for r in self._added.values()])
        self._client.flush(self.collection)
        self._client.load_collection(self.collection)
        self._added, self._removed, self._retokened = {}, set(), set()
        self.generation = generation

    # ------------------------------------------------------------ reads (the saved generation)
    def _filter(self, doc_ids: Sequence[str] | None) -> str:
        expr = f"gen_from <= {self.generation} and gen_to > {self.generation}"
        return expr if doc_ids is None else f"{expr} and doc_id in {_quote(doc_ids)}"

    def _search(self, data, field: str, metric: str, k: int, doc_ids) -> list:
        if self.collection is None or k <= 0 or (doc_ids is not None and not doc_ids):
            return []
        res = self._client.search(self.collection, data=data, anns_field=field, limit=min(int(k), 16_384),
                                  filter=self._filter(doc_ids), search_params={"metric_type": metric},
                                  output_fields=["id"])
        return res[0] if res else []

    def dense(self, query, k, doc_ids=None) -> dict[int, float]:
        vec = np.asarray(query, dtype=np.float32).reshape(-1).tolist()
        return {int(h["id"]): float(h["distance"]) for h in self._search([vec], "vector", "IP", k, doc_ids)}

    def lexical(self, tokens, text, k, doc_ids=None) -> dict[int, float]:
        query = self.stats.query_vector(tokens)
        if not query:
            return {}
        hits = self._search([query], "sparse", "IP", k, doc_ids)
        # Milvus Lite reports inner products as negated distances; the protocol wants the score (higher is better)
        return {int(h["id"]): abs(float(h["distance"])) for h in hits if h["distance"]}

    def vectors(self, vids) -> np.ndarray:
        vids = [int(v) for v in vids]
        if not vids:
            return np.zeros((0, self.dim), dtype=np.float32)
        # by primary key: a filtered query scans every row (seconds at a million); ids are unique, and the
        # retriever only asks for ids this generation returned
        rows = self._client.get(self.collection, ids=vids, output_fields=["id", "vector"])
        by_id = {int(r["id"]): r["vector"] for r in rows}
        return np.asarray([by_id[v] for v in vids], dtype=np.float32)
