#!/usr/bin/env python3
"""A scripted OpenAI-compatible model on 127.0.0.1 for the installer smoke test (the Python twin of
agent-runner's ScriptedModelServer, so the test needs no test jars): the first answer of a conversation
calls the `output` tool with {"answer": 42}, later answers are plain text. Plain JSON or SSE (stream=true).
Prints the port it listens on, then serves until killed.
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OUTPUT = {"answer": 42}


def turn(request):
    assistant_turns = sum(1 for m in request.get("messages", []) if m.get("role") == "assistant")
    if assistant_turns == 0:
        return None, [("output", json.dumps({"data": OUTPUT}))]
    return "done", []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("scripted-model: " + (fmt % args) + "\n")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
        if not self.path.endswith("/chat/completions"):
            return self.reply(404, "application/json", b'{"error":{"message":"no such endpoint"}}')
        request = json.loads(body or b"{}")
        text, calls = turn(request)
        model = request.get("model", "scripted")
        usage = {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19}
        finish = "tool_calls" if calls else "stop"
        if not request.get("stream"):
            message = {"role": "assistant", "content": text}
            if calls:
                message["tool_calls"] = [{"id": "call_%d" % i, "type": "function",
                                          "function": {"name": n, "arguments": a}} for i, (n, a) in enumerate(calls)]
            answer = {"id": "chatcmpl-1", "object": "chat.completion", "created": int(time.time()), "model": model,
                      "choices": [{"index": 0, "message": message, "finish_reason": finish}], "usage": usage}
            return self.reply(200, "application/json", json.dumps(answer).encode())
        chunks = [{"role": "assistant", "content": text or ""}]
        for i, (n, a) in enumerate(calls):
            chunks.append({"tool_calls": [{"index": i, "id": "call_%d" % i, "type": "function",
                                           "function": {"name": n, "arguments": a}}]})
        events = [{"choices": [{"index": 0, "delta": d}]} for d in chunks]
        events.append({"choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
        if request.get("stream_options", {}).get("include_usage"):
            events.append({"choices": [], "usage": usage})
        out = b""
        for e in events:
            e.update({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": int(time.time()), "model": model})
            out += b"data: " + json.dumps(e).encode() + b"\n\n"
        out += b"data: [DONE]\n\n"
        self.reply(200, "text/event-stream", out)

    def reply(self, status, content_type, payload):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
