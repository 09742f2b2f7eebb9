"""Processes the benchmark starts: the forum through `make serve`'s own entry point
(`python -m forum.serve`: production configuration, migrations, gunicorn.conf.py) and the
hello-world under the same gunicorn settings, each on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn master on 127.0.0.1:<free port>; stopped with `stop()`."""

    def __init__(self, argv: list[str], env: dict[str, str], ready_path: str, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = env = {**env, "BIND": f"127.0.0.1:{self.port}"}
        self.log = log.open("w")
        self.process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=self.log, stderr=self.log)
        self._wait(ready_path)

    def _wait(self, path: str, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError(f"the server did not answer {path}; see {self.log.name}")

    def worker_rss_mb(self) -> float:
        """The largest resident memory of the master's workers, in MB."""
        sizes = [_rss_kb(pid) for pid in _children(self.process.pid)]
        return round(max(sizes, default=0) / 1024, 1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def forum(env: dict[str, str], log: Path) -> Server:
    return Server([sys.executable, "-m", "forum.serve"], env, "/healthz", log)


def hello(env: dict[str, str], log: Path) -> Server:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "bench.hello:app",
    ]
    return Server(argv, env, "/", log)


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
