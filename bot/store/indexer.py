"""Index build and incremental update: corpus -> chunks -> embeddings + tokens, saved per generation."""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from bot import chunk as chunker
from bot.config import Config
from bot.errors import IndexMissingError, ReadError
from bot.files import atomic_write, file_sha256, remove_temp_files
from bot.ingest import read_documents
from bot.library import visible_files
from bot.models import Chunk, Document, Paragraph
from bot.store import manifest as mf
from bot.store.backends import create_store, load_store
from bot.store.base import ChunkStore
from bot.store.embed_cache import embed_cached, open_cache
from bot.store.lexical import Segmenter

Progress = Callable[[str], None]  # receives a message; see `ProgressMessage` for counts


class ProgressMessage(str):
    """A progress message that also carries counts: a plain str for callers that only print it,
    `done`/`total`/`unit` for a progress bar (bot.cli)."""

    done: int
    total: int
    unit: str

    def __new__(cls, text: str, done: int, total: int, unit: str) -> ProgressMessage:
        msg = super().__new__(cls, text)
        msg.done, msg.total, msg.unit = done, total, unit
        return msg


def _quiet(_: str) -> None:
    pass


# ----------------------------------------------------------------- (de)serialization
def doc_to_json(doc: Document) -> dict:
    return asdict(doc)


def doc_from_json(row: dict) -> Document:
    row = dict(row)
    row["paragraphs"] = [Paragraph(**{**p, "section": tuple(p["section"])}) for p in row["paragraphs"]]
    return Document(**row)


def chunk_to_json(c: Chunk, tokens: list[str], vid: int) -> dict:
    return {**asdict(c), "tokens": tokens, "vid": vid}


def chunk_from_json(row: dict) -> tuple[Chunk, list[str], int]:
    row = dict(row)
    tokens, vid = row.pop("tokens"), row.pop("vid")
    row["section"] = tuple(row["section"])
    return Chunk(**row), tokens, vid


@dataclass
class IndexData:
    """Everything one generation of the index holds, loaded into memory."""

    manifest: mf.Manifest
    docs: dict[str, Document]
    files: dict[str, dict]  # file name -> {"sha256", "parser", "docs": [ids]}
    chunks: list[Chunk]
    tokens: list[list[str]]
    vids: np.ndarray  # int64 chunk id of chunks[i]
    store: ChunkStore
    segmenter: Segmenter


def _paths(index_dir: Path, gen: int) -> dict[str, Path]:
    return {"chunks": index_dir / f"chunks-{gen}.jsonl", "docs": index_dir / f"docs-{gen}.json"}


def vocabulary(docs) -> list[str]:
    """Names the segmenter keeps whole: every report's region and issuing body."""
    return sorted({n for d in docs for n in (d.region, d.body) if n and len(n) >= 2})


def load_index(cfg: Config, embedder=None, check: bool = True) -> IndexData:
    """Open the current generation; refuse an index built with another embedder, chunker or store."""
    manifest = mf.Manifest.load(cfg.index_dir)
    if check:
        mf.check_compatible(manifest, embedder.id, int(embedder.dim), chunker.CHUNKER_VERSION, cfg.store)
    paths = _paths(cfg.index_dir, manifest.generation)
    try:
        saved = json.loads(paths["docs"].read_text(encoding="utf-8"))
        chunks, tokens, vids = [], [], []
        with open(paths["chunks"], encoding="utf-8") as f:
            for line in f:
                c, t, v = chunk_from_json(json.loads(line))
                chunks.append(c), tokens.append(t), vids.append(v)
        vids = np.asarray(vids, dtype=np.int64)
        store = load_store(cfg, manifest, chunks, vids, tokens)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:  # faiss raises RuntimeError
        raise IndexMissingError(
            f"the index is damaged ({exc.__class__.__name__}: {exc}): run `python -m bot index build`") from exc
    docs = {d["id"]: doc_from_json(d) for d in saved["docs"]}
    return IndexData(manifest, docs, saved["files"], chunks, tokens, vids, store, Segmenter(manifest.vocabulary))


# ----------------------------------------------------------------- reading the corpus incrementally
@functools.lru_cache(maxsize=1)
def parser_version() -> str:
    """Hash of the ingest code: a parse cached by an older parser is never reused."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent.parent
    for p in sorted((here / "ingest").glob("*.py")) + [here / "models.py", here / "text.py"]:
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def _named(docs: list[Document], path: Path) -> list[Document]:
    """Parsed documents carry the ids of the file they were read from, not of the bytes' first file."""
    if len(docs) == 1:
        return [replace(docs[0], id=path.stem, file=path.name)]
    return [replace(d, id=f"{path.stem}#{d.id.rsplit('#', 1)[-1]}", file=path.name) for d in docs]


def _cached_parse(cfg: Config, path: Path, sha: str) -> list[Document]:
    """Parsed documents of a file, cached by content (PDF parsing dominates a rebuild otherwise)."""
    cache = cfg.index_dir / "parsed" / f"{sha}-{parser_version()}.json"
    if cache.exists():
        try:
            return _named([doc_from_json(d) for d in json.loads(cache.read_text(encoding="utf-8"))], path)
        except (ValueError, KeyError, TypeError):
            cache.unlink(missing_ok=True)  # damaged cache entry: parse again
    docs = read_documents(path)
    cache.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(cache, json.dumps([doc_to_json(d) for d in docs], ensure_ascii=False))
    return docs


def _prune_parse_cache(cfg: Config, shas: set[str]) -> None:
    """Drop cached parses of files that are gone or of older parsers."""
    folder = cfg.index_dir / "parsed"
    if folder.is_dir():
        for p in folder.glob("*.json"):
            sha, _, version = p.stem.partition("-")
            if sha not in shas or version != parser_version():
                p.unlink(missing_ok=True)


def corpus_files(cfg: Config) -> list[Path]:
    """The shipped corpus (less reports an administrator removed), then reports added at run time."""
    return visible_files(cfg)


def _scan_corpus(cfg: Config, known_files: dict[str, dict], known_docs: dict[str, Document],
                 progress: Progress) -> tuple[dict[str, Document], dict[str, dict], list[tuple[str, str]]]:
    """Read only files whose bytes changed; reuse parsed documents of unchanged files."""
    docs: dict[str, Document] = {}
    files: dict[str, dict] = {}
    failures: list[tuple[str, str]] = []
    if not cfg.corpus_dir.is_dir():
        raise IndexMissingError(f"corpus directory {cfg.corpus_dir.name} does not exist: create it and put reports in it")
    paths = corpus_files(cfg)
    for n, path in enumerate(paths, 1):
        sha = file_sha256(path)
        old = known_files.get(path.name)
        if path.name in files or any(path.stem == Path(f).stem for f in files):
            failures.append((path.name, f"another file already gives the id {path.stem}: rename one of them"))
            continue
        if (old and old["sha256"] == sha and old.get("parser") == parser_version()
                and all(i in known_docs for i in old["docs"])):
            read = [known_docs[i] for i in old["docs"]]
        else:
            progress(ProgressMessage(f"reading {path.name}", n, len(paths), "files"))
            try:
                read = _cached_parse(cfg, path, sha)
            except ReadError as exc:
                failures.append((path.name, str(exc)))
                progress(f"skipped {path.name}: {exc}")
                continue
        files[path.name] = {"sha256": sha, "parser": parser_version(), "docs": [d.id for d in read]}
        docs.update((d.id, d) for d in read)
    _prune_parse_cache(cfg, {f["sha256"] for f in files.values()})
    return docs, files, failures


def _embed_texts(embedder, texts: list[str], progress: Progress, batch: int = 64) -> np.ndarray:
    out = []
    for i in range(0, len(texts), batch):
        out.append(embedder.embed_documents(texts[i:i + batch]))
        done = min(i + batch, len(texts))
        progress(ProgressMessage(f"embedded {done}/{len(texts)} chunks", done, len(texts), "chunks"))
    return np.vstack(out).astype(np.float32) if out else np.zeros((0, int(embedder.dim)), dtype=np.float32)


def _embed_chunks(cfg: Config, embedder, chunks: list[Chunk], progress: Progress, full: bool = False) -> np.ndarray:
    """Vectors of the chunks; texts embedded before (by this embedder) come from the embedding cache. After a
    full build the index's own cache keeps only this build's vectors (a shared one, `embed_cache`, keeps all)."""
    cache = open_cache(cfg.embed_cache_path, own=not cfg.embed_cache)
    computed: list[int] = []

    def embed(texts: list[str]) -> np.ndarray:
        computed.append(len(texts))
        return _embed_texts(embedder, texts, progress)

    try:
        vectors, keys = embed_cached(embedder, [c.embed_text for c in chunks], cache, embed)
        if cache and len(chunks) > sum(computed):
            progress(f"{len(chunks) - sum(computed)} of {len(chunks)} chunk vectors reused from the embedding cache")
        if cache and full and not cfg.embed_cache:
            cache.keep_only(keys)
    finally:
        if cache:
            cache.close()
    return vectors


def _tokens(segmenter: Segmenter, c: Chunk) -> list[str]:
    return segmenter.tokenize(c.norm + " " + " ".join(c.section).lower())


def _chunk_new(docs: list[Document], segmenter: Segmenter) -> tuple[list[Chunk], list[list[str]], np.ndarray]:
    chunks, tokens, vids = [], [], []
    for d in docs:
        for n, c in enumerate(chunker.chunk_document(d)):
            chunks.append(c)
            tokens.append(_tokens(segmenter, c))
            vids.append(chunker.chunk_id_int(d.id, d.content_hash, n))
    return chunks, tokens, np.asarray(vids, dtype=np.int64)


def _write(cfg: Config, data: IndexData, progress: Progress) -> None:
    """Write a new generation, then switch the manifest to it (last), then drop old generations."""
    gen = mf.new_generation(cfg.index_dir)
    paths = _paths(cfg.index_dir, gen)
    data.store.save(cfg.index_dir, gen)
    atomic_write(paths["chunks"], (json.dumps(chunk_to_json(c, t, v), ensure_ascii=False) + "\n"
                                   for c, t, v in zip(data.chunks, data.tokens, data.vids.tolist())))
    atomic_write(paths["docs"], json.dumps({"files": data.files, "docs": [doc_to_json(d) for d in data.docs.values()]},
                                           ensure_ascii=False))
    data.manifest.generation = gen
    mf.commit_generation(cfg.index_dir, data.manifest)
    mf.cleanup_old_generations(cfg.index_dir, gen)
    remove_temp_files(cfg.index_dir)
    progress(f"index generation {gen} written")


def _manifest_docs(data: IndexData) -> dict:
    by_doc: dict[str, list[int]] = {}
    for c, v in zip(data.chunks, data.vids.tolist()):
        by_doc.setdefault(c.doc_id, []).append(v)
    return {d.id: mf.DocEntry(content_hash=d.content_hash, file=d.file, chunk_ids=by_doc.get(d.id, []))
            for d in data.docs.values()}


def build_index(cfg: Config, embedder, progress: Progress = _quiet) -> dict:
    """Build from scratch: every document is read, chunked and embedded; nothing of an old index is needed."""
    t0 = time.perf_counter()
    cfg.index_dir.mkdir(parents=True, exist_ok=True)
    docs, files, failures = _scan_corpus(cfg, {}, {}, progress)
    if not docs:
        raise IndexMissingError("no readable report in the corpus: add .txt/.html/.pdf/.docx files")
    segmenter = Segmenter(vocabulary(docs.values()))
    chunks, tokens, vids = _chunk_new(list(docs.values()), segmenter)
    vectors = _embed_chunks(cfg, embedder, chunks, progress, full=True)
    store = create_store(cfg, int(embedder.dim))
    store.add(chunks, vids, vectors, tokens)
    manifest = mf.Manifest.new(embedder.id, int(embedder.dim), chunker.CHUNKER_VERSION, store.name)
    manifest.vocabulary = list(segmenter.vocabulary)
    data = IndexData(manifest, docs, files, chunks, tokens, vids, store, segmenter)
    manifest.documents = _manifest_docs(data)
    _write(cfg, data, progress)
    return {"documents": len(docs), "chunks": len(chunks), "failed": [f for f, _ in failures],
            "store": store.name, "seconds": round(time.perf_counter() - t0, 2)}


def update_index(cfg: Config, embedder, progress: Progress = _quiet) -> dict:
    """Embed only new or changed documents, remove deleted ones; builds from scratch when no index exists."""
    t0 = time.perf_counter()
    try:
        data = load_index(cfg, embedder)
    except IndexMissingError:
        progress("no usable index yet: building from scratch")
        return build_index(cfg, embedder, progress)
    docs, files, failures = _scan_corpus(cfg, data.files, data.docs, progress)
    old_hash = {i: d.content_hash for i, d in data.docs.items()}
    added = [d for i, d in docs.items() if i not in old_hash]
    changed = [d for i, d in docs.items() if i in old_hash and old_hash[i] != d.content_hash]
    removed = [i for i in old_hash if i not in docs]
    drop = set(removed) | {d.id for d in changed}
    keep = [k for k, c in enumerate(data.chunks) if c.doc_id not in drop]
    chunks_removed = len(data.chunks) - len(keep)
    data.store.remove(np.asarray([v for k, v in enumerate(data.vids.tolist()) if data.chunks[k].doc_id in drop],
                                 dtype=np.int64))
    vocab = vocabulary(docs.values())
    if vocab != list(data.manifest.vocabulary):
        data.segmenter = Segmenter(vocab)
        data.manifest.vocabulary = vocab
        data.tokens = [_tokens(data.segmenter, c) for c in data.chunks]  # same chunks, new whole words
        data.store.set_tokens(data.vids, data.tokens)
    new_chunks, new_tokens, new_vids = _chunk_new(added + changed, data.segmenter)
    data.chunks = [data.chunks[k] for k in keep]
    data.tokens = [data.tokens[k] for k in keep]
    data.vids = data.vids[keep]
    if new_chunks:
        data.store.add(new_chunks, new_vids, _embed_chunks(cfg, embedder, new_chunks, progress), new_tokens)
    data.chunks += new_chunks
    data.tokens += new_tokens
    data.vids = np.concatenate([data.vids, new_vids]).astype(np.int64)
    files_changed = files != data.files
    data.docs, data.files = docs, files
    data.manifest.documents = _manifest_docs(data)
    if added or changed or removed or files_changed:
        _write(cfg, data, progress)
    return {"added": sorted(d.id for d in added), "changed": sorted(d.id for d in changed),
            "removed": sorted(removed), "chunks_added": len(new_chunks), "chunks_removed": chunks_removed,
            "documents": len(docs), "chunks": len(data.chunks), "failed": [f for f, _ in failures],
            "store": data.store.name, "seconds": round(time.perf_counter() - t0, 2)}


def index_status(cfg: Config, data: IndexData) -> dict:
    """What the index holds and whether the corpus has changed since (by file hashes). No server paths."""
    on_disk = {p.name: file_sha256(p) for p in corpus_files(cfg)}
    indexed = {name: f["sha256"] for name, f in data.files.items()}
    new = sorted(set(on_disk) - set(indexed))
    gone = sorted(set(indexed) - set(on_disk))
    changed = sorted(n for n in set(on_disk) & set(indexed) if on_disk[n] != indexed[n])
    # read by an older version of the readers: `index update` reads them again
    reread = sorted(n for n, f in data.files.items() if n in on_disk and f.get("parser") != parser_version())
    m = data.manifest
    return {"documents": len(data.docs), "chunks": len(data.chunks), "store": m.store,
            "embedder": m.embedder_id, "dim": m.dim, "chunker": m.chunker_version,
            "created_at": m.created_at, "updated_at": m.updated_at,
            "stale": bool(new or gone or changed or reread), "new_files": new, "removed_files": gone,
            "changed_files": changed, "older_parser_files": reread,
            "years": sorted({d.year for d in data.docs.values() if d.year}),
            "bodies": sorted({d.body for d in data.docs.values() if d.body})}
