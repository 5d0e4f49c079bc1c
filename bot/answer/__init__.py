"""Answer stage: the extractive reader (default), the optional LLM answerer, and the renderers.

The reader runs in stages, a module each: `intent` (the answer type asked), `concepts` (what the question asks
about, as weighed term groups), `candidates` (sentences of the retrieved passages and the typed figure bound in
each), `extractive` (scoring, the semantic rerank through the embedder, abstention, composition).
"""

from bot.answer.extractive import answer
from bot.answer.llm import Evidence, LLMAnswerer
from bot.answer.render import citation_label, render_chat, render_openai, render_text, source_url

__all__ = ["Evidence", "LLMAnswerer", "answer", "citation_label", "render_chat", "render_openai", "render_text",
           "source_url"]
