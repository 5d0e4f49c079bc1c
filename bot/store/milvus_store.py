"""The Milvus backend: vectors, chunk text with Milvus's own jieba BM25, and the doc id filter in one collection.

`milvus_uri` is a local file (Milvus Lite, default `<index_dir>/milvus.db`) or a server (`http://host:19530`).
pymilvus is imported and the client created on first use, never at import.

Generations (crash safety): a full build writes a new collection (`govbot_<index key>_<gen>`); an update
upserts into it rows stamped gen_from/gen_to and every search keeps `gen_from <= G < gen_to` for the manifest's
generation G, so the manifest switch stays the single commit point; rows of a crashed write are reset at the
next save, and older collections are dropped once a newer manifest has been opened.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.config import Config
from bot.files import atomic_write
from bot.models import Chunk

LIVE = 2**62  # gen_to of a row no generation has removed
MAX_TEXT_BYTES = 65_000  # VARCHAR limit is 65,535 bytes
BATCH = 2_000
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


def _text(c: Chunk) -> str:
    text = c.norm + " " + " ".join(c.section).lower()
    return text.encode("utf-8")[:MAX_TEXT_BYTES].decode("utf-8", "ignore")


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

    # ------------------------------------------------------------ lifecycle
    @classmethod
    def create(cls, cfg: Config, dim: int) -> MilvusStore:
        return cls(milvus_uri(cfg), cfg.index_dir, dim)

    @classmethod
    def load(cls, cfg: Config, generation: int, dim: int, vids: np.ndarray) -> MilvusStore:
        from pymilvus import MilvusException

        info = json.loads(marker_path(cfg.index_dir, generation).read_text(encoding="utf-8"))
        store = cls(milvus_uri(cfg), cfg.index_dir, dim, info["collection"], generation, len(vids))
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
        from pymilvus import DataType, Function, FunctionType, MilvusClient

        c = self._client
        if c.has_collection(name):  # leftover of a crashed build with this number
            c.drop_collection(name)
        schema = MilvusClient.create_schema(auto_id=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("doc_id", DataType.VARCHAR, max_length=512)
        schema.add_field("gen_from", DataType.INT64)
        schema.add_field("gen_to", DataType.INT64)
        schema.add_field("text", DataType.VARCHAR, max_length=65_535, enable_analyzer=True,
                         analyzer_params={"tokenizer": "jieba"})
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=self.dim)
        schema.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["text"],
                                     output_field_names=["sparse"]))
        params = c.prepare_index_params()
        # exact search in Milvus Lite; a server picks its own ANN index (AUTOINDEX, HNSW by default)
        params.add_index(field_name="vector", index_type="FLAT" if "://" not in self.uri else "AUTOINDEX",
                         metric_type="IP")
        params.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        c.create_collection(name, schema=schema, index_params=params)

    # ------------------------------------------------------------ writes (buffered until save)
    def __len__(self) -> int:
        return self._count

    def add(self, chunks: Sequence[Chunk], vids, vectors, tokens) -> None:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(chunks), self.dim)
        for c, v, vec in zip(chunks, np.asarray(vids, dtype=np.int64).tolist(), vectors):
            if v in self._removed:
                self._removed.discard(v)
            elif v not in self._added:
                self._count += 1
            self._added[v] = {"id": v, "doc_id": c.doc_id, "text": _text(c), "vector": vec}

    def remove(self, vids) -> None:
        for v in np.asarray(vids, dtype=np.int64).tolist():
            if self._added.pop(v, None) is not None:
                self._count -= 1
            elif v not in self._removed:
                self._removed.add(v)
                self._count -= 1

    def set_tokens(self, vids, tokens) -> None:
        """Milvus analyzes the text itself: nothing to do."""

    def _rows(self, expr: str) -> list[dict]:
        it = self._client.query_iterator(self.collection, batch_size=BATCH, filter=expr,
                                         output_fields=["id", "doc_id", "text", "vector", "gen_from", "gen_to"])
        rows = []
        while batch := it.next():
            rows.extend(dict(r) for r in batch)
        it.close()
        return rows

    def _upsert(self, rows: list[dict]) -> None:
        for i in range(0, len(rows), BATCH):
            part = [{**r, "vector": np.asarray(r["vector"], dtype=np.float32).tolist()} for r in rows[i:i + BATCH]]
            self._client.upsert(self.collection, part)

    def save(self, index_dir: Path, generation: int) -> None:
        c = self._client
        base = self.generation
        if self.collection is None:  # a build: a fresh collection, the old index stays intact until the switch
            self.collection = f"{self._prefix()}{generation}"
            atomic_write(marker_path(index_dir, generation), json.dumps({"collection": self.collection}))
            self._create_collection(self.collection)
        else:
            atomic_write(marker_path(index_dir, generation), json.dumps({"collection": self.collection}))
            # leftovers of a write that crashed before its manifest switch, and rows no generation sees any more
            c.delete(self.collection, filter=f"gen_from > {base} or gen_to <= {base}")
            stale = self._rows(f"gen_to > {base} and gen_to < {LIVE}")
            self._upsert([{**r, "gen_to": LIVE} for r in stale])
            if self._removed:
                ids = sorted(self._removed)
                gone = []
                for i in range(0, len(ids), BATCH):
                    gone += self._rows(f"id in {ids[i:i + BATCH]} and gen_to == {LIVE}")
                self._upsert([{**r, "gen_to": generation} for r in gone])
        self._upsert([{**r, "gen_from": generation, "gen_to": LIVE} for r in self._added.values()])
        c.flush(self.collection)
        c.load_collection(self.collection)
        self._added, self._removed = {}, set()
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
        if not text or not text.strip():
            return {}
        hits = self._search([text], "sparse", "BM25", k, doc_ids)
        # Milvus Lite reports BM25 as a negated distance; the protocol wants the score (higher is better)
        return {int(h["id"]): abs(float(h["distance"])) for h in hits if h["distance"]}

    def vectors(self, vids) -> np.ndarray:
        vids = [int(v) for v in vids]
        if not vids:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = self._client.query(self.collection, filter=f"id in {vids} and {self._filter(None)}",
                                  output_fields=["id", "vector"])
        by_id = {int(r["id"]): r["vector"] for r in rows}
        return np.asarray([by_id[v] for v in vids], dtype=np.float32)
