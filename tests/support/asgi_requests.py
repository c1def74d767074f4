"""A `requests` transport adapter onto the app in process: a synchronous client (sdmx1) running in
a worker thread sends its requests through the test's httpx ASGI client on the test's event loop,
so an unmodified client reads the real app without starting a server process."""

from __future__ import annotations

import asyncio

import httpx
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict


class AsgiAdapter(BaseAdapter):
    def __init__(self, client: httpx.AsyncClient, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.client = client
        self.loop = loop
        self.urls: list[str] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        self.urls.append(request.url)
        call = self.client.request(request.method, request.url, headers=dict(request.headers), content=request.body)
        answer = asyncio.run_coroutine_threadsafe(call, self.loop).result(120)
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = answer.content
        response.url = request.url
        response.request = request
        response.reason = answer.reason_phrase
        response.encoding = answer.encoding
        return response

    def close(self) -> None:
        pass
