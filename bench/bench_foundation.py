"""Benchmarks for the foundation (issue 2 bars). Run: .venv/bin/python bench/bench_foundation.py

Prints:
- cold `atlas build` time (bar < 30 s on a 2-core machine);
- map HTML payload with coverage simplification vs without (bar < 2.5 MB), and map build time;
- app start: seconds from `streamlit run` until the map's 39 Gemeinde polygons are drawn in Chromium
  (bar < 3 s after start; measured from health-check OK and from process start).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas import mapview  # noqa: E402
from atlas.atlasdata import load_atlas  # noqa: E402
from atlas.build import build  # noqa: E402
from atlas.indicators import indicator_by_id  # noqa: E402
from atlas.layers import load_layers  # noqa: E402


def bench_build(out: Path) -> None:
    start = time.perf_counter()
    build(data=out)
    print(f"cold build: {time.perf_counter() - start:.2f} s (bar 30 s)")


def bench_map(out: Path) -> None:
    data = load_atlas(out)
    base = mapview.prepare_base(data)
    options = mapview.MapOptions(indicator=indicator_by_id("p_grunds"))
    start = time.perf_counter()
    html = mapview.build_map(base, load_layers(), options).map.get_root().render()
    built = time.perf_counter() - start
    old = mapview.SIMPLIFY_TOLERANCE_M
    mapview.SIMPLIFY_TOLERANCE_M = 0.0
    raw = mapview.build_map(mapview.prepare_base(data), load_layers(), options).map.get_root().render()
    mapview.SIMPLIFY_TOLERANCE_M = old
    print(f"map build+render: {built * 1000:.0f} ms; payload {len(html.encode()) / 1e6:.2f} MB "
          f"(bar 2.5 MB) vs {len(raw.encode()) / 1e6:.2f} MB unsimplified (ratio {len(raw) / len(html):.2f}x)")


def bench_app_start(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "ATLAS_DATA_DIR": str(out)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "serve.py"), "--server.port",
                             str(port), "--server.headless", "true"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.05)
        t_health = time.perf_counter()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            t_open = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning'] h1", timeout=60_000)
            t_start_page = time.perf_counter()
            for label in ("cold", "warm"):
                t_map = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/karte")
                frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
                frame.locator("path.atlas-gemeinden").nth(38).wait_for(timeout=60_000)
                print(f"map page ({label}): 39 Gemeinden drawn {time.perf_counter() - t_map:.2f} s after opening /karte")
            browser.close()
        print(f"app start: server healthy after {t_health - t0:.2f} s; start page ready "
              f"{t_start_page - t_open:.2f} s after opening it (bar 3 s)")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        bench_build(out)
        bench_map(out)
        bench_app_start(out)
