"""Retrieve stage: question analysis (language, year, place, type, follow-ups) and hybrid search."""

from bot.retrieve.query import GLOSSARY, Catalog, QueryInfo, analyze, detect_language, is_followup, resolve_followup
from bot.retrieve.retriever import Retrieval, Retriever, fuse

__all__ = ["GLOSSARY", "Catalog", "QueryInfo", "Retrieval", "Retriever", "analyze", "detect_language", "fuse",
           "is_followup", "resolve_followup"]
