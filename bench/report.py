"""The benchmark's outputs: results.json, a Markdown table and a PNG chart."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def write(results: dict, stem: Path) -> None:
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    stem.with_suffix(".md").write_text(table(results))
    chart(results, stem.with_suffix(".png"))


def _cell(value, unit: str = "") -> str:
    return "–" if value is None else f"{value:,}{unit}"


def table(results: dict) -> str:
    hello = results["hello"]
    lines = [
        f"`make bench{' QUICK=1' if results['quick'] else ''}` on {results['database']}, "
        f"{results['date']}; {results['machine']}.",
        f"Data: {results['data']}. Server: {results['server']}; wrk {results['load']}.",
        f"Hello-world: {hello['rps']:,} requests/s (p50 {hello['p50_ms']} ms, "
        f"p99 {hello['p99_ms']} ms, worker {hello['rss_mb']} MB).",
        "",
        "| page | requests/s | of hello-world | p50 ms | p99 ms | SQL | KB | worker MB | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in results["pages"]:
        share = None if page.get("ratio") is None else f"{page['ratio'] * 100:.1f}%"
        lines.append(
            f"| {page['name']} | {_cell(page.get('rps'))} | {share or '–'} | "
            f"{_cell(page.get('p50_ms'))} | {_cell(page.get('p99_ms'))} | "
            f"{_cell(page.get('sql'))} | {_cell(page.get('kb'))} | {_cell(page.get('rss_mb'))} | "
            f"{_cell(page.get('errors'))} |"
        )
    notes = [f"- {note}" for note in results.get("notes", [])]
    return "\n".join(lines + ([""] + notes if notes else [])) + "\n"


def chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pages = [p for p in results["pages"] if p.get("ratio") is not None]
    names = [p["name"] for p in pages][::-1]
    shares = [p["ratio"] * 100 for p in pages][::-1]
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(pages) + 1.6))
    ax.barh(names, shares, color="#4c6ef5")
    for y, share in enumerate(shares):
        ax.text(share, y, f" {share:.1f}%", va="center", fontsize=8)
    ax.set_xlabel("requests/s as a share of a bare Flask hello-world (%)")
    ax.set_title(
        f"Subtext, make bench{' QUICK=1' if results['quick'] else ''} on "
        f"{results['database']}, {results['date']}\n{results['machine']}",
        fontsize=8,
    )
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlim(0, max(shares + [1]) * 1.2)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
