"""Index stage: chunks embedded and stored (FAISS + BM25 by default), built and updated per generation."""

from bot.store.base import ChunkStore
from bot.store.indexer import IndexData, build_index, corpus_files, index_status, load_index, update_index
from bot.store.lexical import Segmenter

__all__ = ["ChunkStore", "IndexData", "Segmenter", "build_index", "corpus_files", "index_status", "load_index",
           "update_index"]
