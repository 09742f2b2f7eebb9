"""Load from wrk (Debian's package), on loopback only, for a bounded time. A small Lua
script prints wrk's own summary as JSON at the end; votes cycle through API tokens."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests": %d, "duration_us": %d, "socket_errors": %d, "bad_status": %d, '
    .. '"p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
"""

VOTES = """
local tokens = {%s}
local path, n = "%s", 0
init = function(args) n = math.random(#tokens) end
request = function()
  n = n + 1
  local value = ({1, -1, 0, 1})[n %% 4 + 1]
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. tokens[n %% #tokens + 1],
    ["Content-Type"] = "application/json"}, '{"value": ' .. value .. '}')
end
"""


@dataclass
class Request:
    """What one page's load sends."""

    path: str
    cookie: str | None = None
    vote_tokens: list[str] | None = None  # POST a vote per request, cycling through these


def wrk_path() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("make bench needs wrk: apt-get install wrk (scripts/ensure-system.sh)")
    return found


def run(base: str, request: Request, seconds: int, connections: int = 16) -> dict:
    """wrk for `seconds` against base+path; requests/s, p50 and p99 in ms, errors."""
    assert base.startswith("http://127.0.0.1:"), "loopback only"
    script = DONE
    if request.vote_tokens:
        quoted = ", ".join(f'"{t}"' for t in request.vote_tokens)
        script = VOTES % (quoted, request.path) + DONE
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    argv = [
        wrk_path(),
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "60s",
        "-s",
        lua.name,
    ]
    if request.cookie:
        argv += ["-H", f"Cookie: {request.cookie}"]
    output = subprocess.run(
        argv + [base + request.path],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    summary = json.loads(output.strip().splitlines()[-1])
    return {
        "rps": round(summary["requests"] / (summary["duration_us"] / 1e6), 1),
        "p50_ms": round(summary["p50_us"] / 1000, 1),
        "p99_ms": round(summary["p99_us"] / 1000, 1),
        "requests": summary["requests"],
        "errors": summary["socket_errors"] + summary["bad_status"],
    }


def probe(base: str, request: Request) -> dict:
    """One request as the load will send it: its status, size and SQL statement count."""
    headers = {"Cookie": request.cookie} if request.cookie else {}
    data = None
    if request.vote_tokens:
        headers |= {
            "Authorization": f"Bearer {request.vote_tokens[0]}",
            "Content-Type": "application/json",
        }
        data = b'{"value": 1}'
    call = urllib.request.Request(base + request.path, data=data, headers=headers)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(call, timeout=30) as response:  # nosec B310
            body, status, sql = response.read(), response.status, response.headers
    except urllib.error.HTTPError as err:
        body, status, sql = err.read(), err.code, err.headers
    count = sql.get("X-SQL-Count")
    return {
        "status": status,
        "kb": round(len(body) / 1024, 1),
        "seconds": time.perf_counter() - start,
        "sql": int(count) if count is not None else None,
    }
