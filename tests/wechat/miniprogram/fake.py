"""A fake WeChat for the mini-program client: it records what the client sends and
answers what a test tells it to (JSON, an image, or a raw response)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from portal.wechat.client import WeChatClient
from portal.wechat.miniprogram import MiniProgramClient
from portal.wechat.shapes import CallRecord

#: Distinct tokens, so a test sees which one went out (and that none reaches the log).
A_TOKEN = "A-TOKEN-of-the-mini-program"
C_TOKEN = "C-TOKEN-of-the-platform"

OK = {"errcode": 0, "errmsg": "ok"}
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00fake-jpeg-body\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\nfake-png-body"


def json_answer(answer: dict[str, Any], content_type: str = "application/json") -> httpx.Response:
    body = json.dumps(answer, ensure_ascii=False).encode()
    return httpx.Response(200, content=body, headers={"Content-Type": content_type})


def image_answer(content: bytes = JPEG, content_type: str = "image/jpeg") -> httpx.Response:
    return httpx.Response(200, content=content, headers={"Content-Type": content_type})


class Fake:
    def __init__(self, answer: dict[str, Any] | httpx.Response | None = None) -> None:
        answer = OK if answer is None else answer
        self.answer = answer if isinstance(answer, httpx.Response) else json_answer(answer)
        self.sent: list[httpx.Request] = []
        self.records: list[CallRecord] = []
        http = httpx.Client(transport=httpx.MockTransport(self.handle), base_url="http://wechat")
        self.client = WeChatClient(
            http,
            component_appid="wx0123456789abcdef",
            component_appsecret="secret",
            on_call=self.records.append,
        )
        self.mp = MiniProgramClient(self.client)

    def handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.sent.append(request)
        return self.answer

    @property
    def request(self) -> httpx.Request:
        assert len(self.sent) == 1, f"expected one request, got {len(self.sent)}"
        return self.sent[0]

    def body(self) -> Any:
        return json.loads(self.request.content)


def compact(body: dict[str, Any]) -> bytes:
    """A body as WeChat must receive it: compact JSON, Chinese as raw UTF-8."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Call:
    """One row of the call tables: how to make the call, and what WeChat must receive."""

    endpoint: str
    invoke: Callable[[MiniProgramClient], Any]
    verb: str
    path: str
    token: str = A_TOKEN
    body: dict[str, Any] | None = None  # None: no JSON body (GET, or a multipart upload)
    query: dict[str, str] = field(default_factory=dict)  # beyond access_token
    image: bool = False
    multipart: bool = False
