#!/usr/bin/env python3
"""The Dask half of `cargo xtask bench-browser`: each seed notebook's Run all in Chromium (timed
by tests/e2e/bench-seeds.mjs, read from --chromium) beside the same notebook exported and
executed under CPython with the real Dask (a LocalCluster from the notebook's own `Client()`)
and beside `skein run` natively, all on this machine in one run.

Prints one JSON object per notebook: each side's total in seconds, the ratio of Dask's time to
Chromium's, and the slowest cells (those that take the most time on either side: the lab's
shortest paths and response histograms among them) with both times. A ratio above 1 means
Skein in the browser was faster.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from run_exports import ROOT, code_sources, run_dask, stage_data

EXAMPLES = ROOT / "web" / "examples"
SLOWEST = 6


def own_code_cells(exported):
    """Maps each of the export's cell indices to its code cell index in the Skein notebook."""
    nb = nbformat.read(exported, as_version=4)
    own = [i for i, c in enumerate(nb.cells)
           if c.cell_type == "code" and "inserted" not in c.get("metadata", {}).get("skein", {})]
    return {export_index: index for index, export_index in enumerate(own)}


def time_skein_run(skein, notebook):
    started = time.perf_counter()
    subprocess.run([skein, "run", str(notebook), "--data", str(notebook.parent)], check=True,
                   capture_output=True, text=True)
    return time.perf_counter() - started


def bench(skein, chromium, scratch):
    notebook = EXAMPLES / f"{chromium['notebook']}.ipynb"
    sources = code_sources(notebook)
    work = scratch / notebook.stem
    work.mkdir(parents=True)
    stage_data(notebook.parent, work)
    by_export_index = {}
    _, exported = run_dask(skein, notebook, work, seconds=by_export_index)
    mapping = own_code_cells(exported)
    dask = {mapping[i]: s for i, s in by_export_index.items() if i in mapping}
    browser = {c["index"]: c["ms"] / 1e3 for c in chromium["cells"] if c["ms"] is not None}
    cells = []
    for index, source in enumerate(sources):
        lines = [line for line in source.strip().splitlines() if line.strip()]
        cells.append({
            "cell": index,
            "first_line": lines[0][:70] if lines else "",
            "chromium_s": round(browser.get(index, 0.0), 3),
            "dask_s": round(dask.get(index, 0.0), 3),
        })
    slowest = sorted(cells, key=lambda c: -max(c["chromium_s"], c["dask_s"]))[:SLOWEST]
    # Both totals are sums of the cells' own times: neither side's start-up (the page's
    # workers, Jupyter's kernel and cluster) counts.
    chromium_s = sum(browser.values())
    dask_s = sum(dask.values())
    return {
        "bench": "seed_run_all",
        "notebook": chromium["notebook"],
        "chromium_workers": chromium["workers"],
        "chromium_s": round(chromium_s, 2),
        "chromium_run_all_click_to_done_s": round(chromium["run_all_ms"] / 1e3, 2),
        "dask_local_cluster_s": round(dask_s, 2),
        "skein_native_s": round(time_skein_run(skein, notebook), 2),
        "dask_over_chromium": round(dask_s / chromium_s, 2),
        "slowest_cells": sorted(slowest, key=lambda c: c["cell"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skein", required=True, help="the skein binary (release)")
    parser.add_argument("--chromium", required=True, type=Path,
                        help="the JSON written by tests/e2e/bench-seeds.mjs")
    args = parser.parse_args()
    runs = json.loads(args.chromium.read_text())
    with tempfile.TemporaryDirectory(prefix="skein-bench-") as scratch:
        for chromium in runs:
            print(json.dumps(bench(args.skein, chromium, Path(scratch))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
