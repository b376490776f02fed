"""Load at fixed concurrency with wrk (Debian's package), and what it measured."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

CONNECTIONS = 8
THREADS = 2
TIMEOUT = 60  # seconds wrk waits for an answer; a slower one counts as a timeout
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


@dataclass(frozen=True)
class Load:
    """What wrk saw: requests per second, latency percentiles (ms), and the answers that were not 2xx/3xx."""

    requests: int
    per_second: float
    p50: float
    p99: float
    errors: int


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    return path


def run_wrk(url: str, headers: dict[str, str], seconds: float) -> Load:
    """`seconds` of requests to `url` over CONNECTIONS connections."""
    duration = max(1, round(seconds))  # wrk takes whole seconds
    command = [
        wrk_path(),
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{duration}s",
        "--timeout",
        f"{TIMEOUT}s",
        "--latency",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration + 120)
    if done.returncode:
        raise RuntimeError(f"wrk failed on {url}: {done.stdout}{done.stderr}")
    return parse_wrk(done.stdout)


def parse_wrk(text: str) -> Load:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.MULTILINE)
        return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")

    requests = re.search(r"^\s+(\d+) requests in", text, re.MULTILINE)
    per_second = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(count) for count in socket_errors.groups())
    return Load(
        requests=int(requests.group(1)) if requests else 0,
        per_second=float(per_second.group(1)) if per_second else 0.0,
        p50=latency("50"),
        p99=latency("99"),
        errors=failed,
    )
