"""Ingest: report files (txt, html, pdf, docx) -> cleaned Documents with sections and metadata."""

from bot.files import SUPPORTED_SUFFIXES
from bot.ingest.documents import load_corpus, read_documents
from bot.ingest.readers import sniff

__all__ = ["SUPPORTED_SUFFIXES", "load_corpus", "read_documents", "sniff"]
