"""A stand-in judge server on 127.0.0.1 speaking OpenAI chat-completions and Gemini generateContent.

A test fixture (tests and benchmarks; `python -m tests.judge_server` serves one): it answers verdicts,
429s, 500s, slow answers and garbage from a script, fails every request that carries an image of a
given size (an outage for one rollout), and answers GET /v1/models as vLLM does (the preflight's probe),
so every backend path runs for real over HTTP. Default verdict: the image with more PNG bytes wins
(consistent in both orders); ratings: 7.
"""
from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_DATA_URL = re.compile(r"^data:image/[a-z]+;base64,(.*)$", re.S)


class _Server(ThreadingHTTPServer):
    # socketserver's listen backlog is 5: a GRPO wave opens 8 connections at once, the kernel dropped the
    # SYNs past 5 while the accept loop waited for the GIL, and those clients retried after 1 s. Real
    # servers (uvicorn, vLLM) listen with 2048.
    request_queue_size = 128


class LoopbackJudgeServer:
    """`with LoopbackJudgeServer(latency=0.3) as srv:` → srv.openai_url, srv.gemini_url.

    `srv.requests` lists the requests; `srv.connections` counts the TCP connections accepted and
    `srv.open_connections` those the client has not closed yet.

    `srv.script(*actions)` queues answers for the next requests: "A", "B", "tie", "429", "500",
    "garbage", "fenced:A" (JSON inside a fence among prose), "slow:SECONDS", "score:N".
    `srv.fail_sizes` holds PNG sizes in bytes: a request carrying an image of one of them gets a 500.
    """

    def __init__(self, latency: float = 0.0):
        self.latency = latency
        self.requests: list[dict[str, Any]] = []
        self.fail_sizes: set[int] = set()
        self.probes = 0  # GET requests (the preflight asking whether a server answers)
        self._actions: deque[str] = deque()
        self._lock = threading.Lock()
        self.in_flight = self.max_in_flight = 0
        self.connections = self.open_connections = 0  # accepted in all, and not yet closed by the client
        self._httpd = _Server(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def openai_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def gemini_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def script(self, *actions: str) -> None:
        """Queue answers for the next requests (then the default verdict resumes)."""
        with self._lock:
            self._actions.extend(actions)

    def start(self) -> LoopbackJudgeServer:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="loopback-judge", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LoopbackJudgeServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _next_action(self) -> str | None:
        with self._lock:
            return self._actions.popleft() if self._actions else None

    def _answer(self, text: str, images: list[int]) -> tuple[int, str]:
        if self.fail_sizes & set(images):
            return 500, ""
        action = self._next_action()
        if action and action.startswith("slow:"):
            time.sleep(float(action[5:]))
            action = None
        if action in ("429", "500"):
            return int(action), ""
        if action == "garbage":
            return 200, "I think the first one is nicer, honestly."
        if action and action.startswith("score:"):
            return 200, json.dumps({"score": float(action[6:]), "reasoning": "scripted"})
        if "Rate " in text:
            return 200, json.dumps({"score": 7, "reasoning": "default rating"})
        fenced = bool(action and action.startswith("fenced:"))
        winner = action.split(":")[-1] if action else None
        if winner is None:
            sizes = images[:2] + [0, 0]
            winner = "A" if sizes[0] > sizes[1] else "B" if sizes[1] > sizes[0] else "tie"
        body = json.dumps({"winner": winner, "confidence": 0.8, "reasoning": "loopback verdict"})
        return 200, (f"Here is my verdict:\n```json\n{body}\n```\nThanks." if fenced else body)

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # The headers and the body go out in two writes: with Nagle on, the body waited for the client's
            # delayed ACK of the headers (40 ms on Linux) on every reused keep-alive connection. Real servers
            # (uvicorn, Go's net/http) set TCP_NODELAY too.
            disable_nagle_algorithm = True

            def log_message(self, *args) -> None:  # quiet: tests read server.requests instead
                pass

            def setup(self) -> None:
                super().setup()
                with server._lock:
                    server.connections += 1
                    server.open_connections += 1

            def finish(self) -> None:
                try:
                    super().finish()
                finally:
                    with server._lock:
                        server.open_connections -= 1

            def do_GET(self) -> None:  # noqa: N802 (http.server's name): vLLM's model list, for the probe
                with server._lock:
                    server.probes += 1
                self._send(200, {"object": "list", "data": [{"id": "loopback", "object": "model"}]})

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("content-length") or 0)
                try:
                    payload = json.loads(self.rfile.read(length) or b"{}")
                except json.JSONDecodeError:
                    payload = {}
                gemini = ":generateContent" in self.path
                text, images = (_gemini_parts if gemini else _openai_parts)(payload)
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                    server.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "images": len(images),
                                            "model": payload.get("model"), "at": time.monotonic()})
                try:
                    if server.latency:
                        time.sleep(server.latency)
                    status, answer = server._answer(text, images)
                finally:
                    with server._lock:
                        server.in_flight -= 1
                if status != 200:
                    self._send(status, {"error": {"message": f"loopback {status}", "code": status}},
                               {"retry-after": "0.05"} if status == 429 else {})
                elif gemini:
                    self._send(200, {"candidates": [{"content": {"role": "model", "parts": [{"text": answer}]},
                                                     "finishReason": "STOP", "index": 0}],
                                     "usageMetadata": {"promptTokenCount": 1000, "candidatesTokenCount": 40,
                                                       "totalTokenCount": 1040}})
                else:
                    self._send(200, {"id": "loopback", "object": "chat.completion", "created": int(time.time()),
                                     "model": payload.get("model", "loopback"),
                                     "choices": [{"index": 0, "finish_reason": "stop",
                                                  "message": {"role": "assistant", "content": answer}}],
                                     "usage": {"prompt_tokens": 1000, "completion_tokens": 40, "total_tokens": 1040}})

            def _send(self, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _b64_size(data: str) -> int:
    """Bytes a base64 string decodes to, counted without decoding: the verdict needs only the sizes, and
    decoding two 300 KB images per request under the server's GIL delayed every answer of a wave."""
    if "\n" in data or " " in data or "\r" in data:  # MIME-style wrapped base64
        data = "".join(data.split())
    return len(data) * 3 // 4 - (len(data) - len(data.rstrip("=")))


def _openai_parts(payload: dict) -> tuple[str, list[int]]:
    text, images = "", []
    for message in payload.get("messages", []):
        content = message.get("content")
        for part in content if isinstance(content, list) else [{"type": "text", "text": content or ""}]:
            if part.get("type") == "text":
                text += part.get("text", "")
            elif part.get("type") == "image_url":
                m = _DATA_URL.match(part.get("image_url", {}).get("url", ""))
                if m:
                    images.append(_b64_size(m.group(1)))
    return text, images


def _gemini_parts(payload: dict) -> tuple[str, list[int]]:
    text, images = "", []
    for content in payload.get("contents", []):
        for part in content.get("parts", []):
            if "text" in part:
                text += part["text"]
            inline = part.get("inlineData") or part.get("inline_data")
            if inline:
                images.append(_b64_size(inline.get("data", "")))
    return text, images


def main(argv: list[str] | None = None) -> int:
    """`python -m tests.judge_server [--latency S]`: serve until stdin closes; prints the port first."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(description="loopback judge server (OpenAI + Gemini) on 127.0.0.1")
    ap.add_argument("--latency", type=float, default=0.0, help="seconds every answer takes")
    args = ap.parse_args(argv)
    with LoopbackJudgeServer(latency=args.latency) as server:
        print(server.port, flush=True)
        sys.stdin.read()  # the parent closing our stdin is the stop signal
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
