"""Answer stage: the extractive reader (default), the optional LLM answerer, and the renderers."""

from bot.answer.extractive import answer
from bot.answer.llm import Evidence, LLMAnswerer
from bot.answer.render import citation_label, render_chat, render_openai, render_text, source_url

__all__ = ["Evidence", "LLMAnswerer", "answer", "citation_label", "render_chat", "render_openai", "render_text",
           "source_url"]
