"""An OpenAI-compatible chat endpoint (/v1), so chat front ends that speak that protocol can use the bot."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from bot.answer import render_openai
from bot.errors import BadQuestionError
from bot.models import Answer, Turn
from bot.serve.state import AppState
from bot.text import scrub


class ContentPart(BaseModel):
    """One part of a message's content; parts that are not text (images, numbers) are ignored."""

    type: str = "text"
    text: Any = None


class ChatMessage(BaseModel):
    role: str
    content: str | list[ContentPart | Any] | None = ""


class ChatRequest(BaseModel):
    model: str | None = None
    messages: list[ChatMessage]
    stream: bool = False


def content_text(content: Any) -> str:
    """Text of a message's content: a string or a list of parts [{"type": "text", "text": "..."}]."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.text for p in content if isinstance(p, ContentPart) and isinstance(p.text, str))
    return ""


def _sse(payload: dict) -> str:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def _stream(ans: Answer, base: dict, cites: list[dict]) -> Iterator[str]:
    text = render_openai(ans)
    yield _sse({**base, "choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]})
    for i in range(0, len(text), 40):
        yield _sse({**base, "choices": [{"index": 0, "delta": {"content": text[i:i + 40]}, "finish_reason": None}]})
    yield _sse({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "citations": cites})
    yield "data: [DONE]\n\n"


def router(state: AppState) -> APIRouter:
    v1 = APIRouter(prefix="/v1", tags=["openai"])

    @v1.get("/models")
    def models() -> dict:
        return {"object": "list", "data": [{"id": "govinfo-bot", "object": "model", "owned_by": "govinfo-bot"}]}

    @v1.post("/chat/completions")
    def chat(req: ChatRequest):
        users = [m for m in req.messages if m.role == "user"]
        if not users:
            raise BadQuestionError("messages must contain a user message with the question")
        history = [Turn(content_text(m.content)) for m in users[:-1]]
        ans = state.get_service().ask(content_text(users[-1].content), history=history)
        base = {"id": f"chatcmpl-{uuid.uuid4().hex[:24]}", "created": int(time.time()),
                "model": scrub(req.model or "govinfo-bot")}  # echoed: no lone surrogate may reach the stream
        cites = [c.__dict__ for c in ans.citations]
        if req.stream:
            return StreamingResponse(_stream(ans, {**base, "object": "chat.completion.chunk"}, cites),
                                     media_type="text/event-stream")
        return {**base, "object": "chat.completion",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": render_openai(ans)},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                "citations": cites, "found": ans.found}

    return v1
