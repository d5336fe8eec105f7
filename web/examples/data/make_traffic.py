#!/usr/bin/env python3
"""Writes traffic.npy, the 16x16 traffic grid the seed notebook loads with
`np.load('data/traffic.npy')`.

The seed's own file is not published, so this makes a stand-in once; the committed
traffic.npy is its output. Each value is the time, in minutes under congested conditions,
to enter one intersection of a 16x16 street grid from an adjacent one. The model is the one
`synthetic_city` uses in crates/skein-labs/src/traffic.rs (same terms, NumPy's random
generator instead of Rust's, so the numbers differ). Every intersection costs the sum of:

* free-flow time: 1 minute plus up to 0.5 minutes of per-block noise (uniform);
* congested corridors: four picks of a random row and four of a random column (about one
  line in four; a pick may repeat) are arterials jammed at rush hour, adding 1.5-2.5
  minutes to every intersection on them (both where two cross);
* a downtown hot spot: 6 * exp(-d^2 / 2 sigma^2) minutes around a random centre in the
  middle half of the grid, sigma = 16 / 6.

So a cost is at least 1 minute on a quiet side street and at most about 12 in a downtown
jam (this city's run from 1.0 to 9.9, mean 3.1). The seed is fixed: running this again
writes the same file (float64, C order).

    python3 web/examples/data/make_traffic.py     # needs numpy
"""
import os

import numpy as np

SIZE = 16
SEED = 2024


def congested_city(size, seed):
    rng = np.random.default_rng(seed)

    def corridors():
        jam = np.zeros(size)
        for _ in range(max(size // 4, 1)):
            jam[rng.integers(size)] = 1.5 + rng.random()
        return jam

    row_jam = corridors()
    col_jam = corridors()
    centre_r, centre_c = size * (0.25 + 0.5 * rng.random(2))
    sigma = size / 6
    noise = 0.5 * rng.random((size, size))
    r, c = np.meshgrid(np.arange(size) + 0.5, np.arange(size) + 0.5, indexing="ij")
    downtown = 6 * np.exp(-((r - centre_r) ** 2 + (c - centre_c) ** 2) / (2 * sigma**2))
    return 1.0 + noise + row_jam[:, None] + col_jam[None, :] + downtown


if __name__ == "__main__":
    city = congested_city(SIZE, SEED)
    assert city.shape == (SIZE, SIZE) and city.dtype == np.float64
    assert (city >= 1).all() and (city <= 12.5).all()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "traffic.npy")
    np.save(out, city)
    print(f"wrote {out}: min {city.min():.2f}, mean {city.mean():.2f}, max {city.max():.2f} minutes")
