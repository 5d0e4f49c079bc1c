"""The bot's retrieval behind llama-index's BaseRetriever interface (NodeWithScore with report metadata)."""

from __future__ import annotations

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode


class ServiceRetriever(BaseRetriever):
    def __init__(self, service, top_k: int | None = None):
        super().__init__()
        self._service = service
        self._top_k = top_k

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        out = []
        for h in self._service.retrieve(query_bundle.query_str, self._top_k).hits:
            doc = self._service.document(h.chunk.doc_id)
            node = TextNode(id_=h.chunk.id, text=h.chunk.text, metadata={
                "source": doc.id, "title": doc.title, "body": doc.body, "year": doc.year,
                "section": h.chunk.section_path, "start": h.chunk.start, "end": h.chunk.end})
            out.append(NodeWithScore(node=node, score=h.score))
        return out


def as_llama_retriever(service, top_k: int | None = None) -> ServiceRetriever:
    """`service` (a bot.Service) as a llama-index retriever, for llama-index pipelines."""
    return ServiceRetriever(service, top_k)
