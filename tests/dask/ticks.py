"""Matplotlib's default ticks, limits and tick texts for seeded data ranges, as JSON.

Skein draws its plots with ticks chosen as matplotlib chooses them
(`crates/skein-kernel/src/ticks.rs`); this script records what real matplotlib does for a
few hundred data ranges of every plot kind (`plot`, `hist`, `imshow`), so that
`crates/skein-kernel/tests/ticks.rs` can compare. Floats are kept exactly, as the bits of
their IEEE doubles (`"bits"`), next to a readable copy.

    python tests/dask/ticks.py > tests/dask/ticks.json
    python tests/dask/ticks.py --check tests/dask/ticks.json   # test-dask: still matplotlib's?
"""

import json
import random
import struct
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.transforms as mtransforms  # noqa: E402
import numpy as np  # noqa: E402


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def shown(axis, lo, hi):
    """The texts of the major ticks drawn within the axis limits, in increasing order."""
    ticks = axis.get_major_ticks()
    locs = axis.get_majorticklocs()
    texts = []
    for loc, tick in sorted(zip(locs, ticks), key=lambda p: p[0]):
        if mtransforms._interval_contains_close((lo, hi), loc):
            texts.append(tick.label1.get_text())
    return texts


def record(kind, ax, fig, extra):
    fig.canvas.draw()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    data_x = ax.dataLim.intervalx
    data_y = ax.dataLim.intervaly
    case = {
        "kind": kind,
        "data_x": [bits(v) for v in data_x],
        "data_y": [bits(v) for v in data_y],
        "xlim": [x0, x1],
        "ylim": [y0, y1],
        "xlim_bits": [bits(x0), bits(x1)],
        "ylim_bits": [bits(y0), bits(y1)],
        "xticks": shown(ax.xaxis, x0, x1),
        "yticks": shown(ax.yaxis, y0, y1),
        "xoffset": ax.xaxis.get_major_formatter().get_offset(),
        "yoffset": ax.yaxis.get_major_formatter().get_offset(),
    }
    case.update(extra)
    plt.close(fig)
    return case


def some_range(rng):
    """A data range: tiny, huge, negative, far from zero (needing an offset), or a point."""
    shape = rng.random()
    span = 10 ** rng.uniform(-9, 12) * rng.choice([1, 1, 2.5, 3.7, 7.1])
    if shape < 0.35:
        center = 0.0 if rng.random() < 0.3 else rng.uniform(-1, 1) * span
    elif shape < 0.7:
        center = rng.choice([-1, 1]) * span * 10 ** rng.uniform(1, 7)
    elif shape < 0.9:
        center = rng.choice([-1, 1]) * 10 ** rng.uniform(-3, 9) * rng.uniform(1, 9.9)
        span = abs(center) * 10 ** rng.uniform(-8, 1)
    else:
        center = rng.choice([0.0, 1.0, -3.0, 1e6, 2.5e-7, 12345.678])
        span = 0.0
    lo = center - span * rng.uniform(0, 1)
    return lo, lo + span


def cases():
    rng = random.Random(23)
    cases = []
    for _ in range(250):
        (x0, x1), (y0, y1) = some_range(rng), some_range(rng)
        fig, ax = plt.subplots()
        ax.plot([x0, x1], [y0, y1])
        cases.append(record("plot", ax, fig, {}))
    for _ in range(150):
        lo, hi = some_range(rng)
        n = rng.choice([1, 3, 10, 100, 1000, 1600])
        values = np.linspace(lo, hi, n) if rng.random() < 0.5 else rng.choice([lo, hi]) + np.zeros(n)
        if rng.random() < 0.5 and hi > lo:
            values = np.array([rng.uniform(lo, hi) for _ in range(n)])
        fig, ax = plt.subplots()
        try:
            ax.hist(values, bins=rng.choice([1, 5, 10, 30, 50]))
        except ValueError:  # numpy: too many bins for a range this narrow
            plt.close(fig)
            continue
        cases.append(record("hist", ax, fig, {}))
    for _ in range(100):
        rows, cols = rng.choice([1, 2, 5, 10, 20, 50, 100, 365]), rng.choice([1, 3, 10, 24, 50, 200, 1000])
        fig, ax = plt.subplots()
        ax.imshow(np.zeros((rows, cols)))
        cases.append(record("imshow", ax, fig, {"rows": rows, "cols": cols}))
    return {"matplotlib": matplotlib.__version__, "cases": cases}


def check(path):
    """Whether the fixture at `path` is what this matplotlib draws today, case by case."""
    with open(path, encoding="utf-8") as f:
        recorded = json.load(f)
    live = cases()
    # A float's JSON text may differ across versions; its bits are what count.
    strip = lambda case: {k: v for k, v in case.items() if k not in ("xlim", "ylim")}  # noqa: E731
    differing = [
        i for i, (a, b) in enumerate(zip(recorded["cases"], live["cases"])) if strip(a) != strip(b)
    ]
    if len(recorded["cases"]) != len(live["cases"]):
        differing.append(min(len(recorded["cases"]), len(live["cases"])))
    axes = 2 * len(live["cases"])
    print(f"{path}: {len(live['cases'])} ranges ({axes} axes) drawn by matplotlib {matplotlib.__version__}"
          f" (recorded with {recorded['matplotlib']}): {len(live['cases']) - len(differing)} the same")
    for i in differing[:5]:
        print(f"  case {i}: recorded {recorded['cases'][i] if i < len(recorded['cases']) else None}")
        print(f"           live     {live['cases'][i] if i < len(live['cases']) else None}")
    return not differing


def main():
    if sys.argv[1:2] == ["--check"]:
        sys.exit(0 if check(sys.argv[2]) else 1)
    json.dump(cases(), sys.stdout, ensure_ascii=False, indent=None)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
