"""Cells of the idiom notebooks (tests/dask/idioms/) whose output in Skein is known to differ
from Dask's, each with why. run_exports.py fails on any other difference, and on an entry
here whose cell now matches (so the list only shrinks as Skein catches up).

Keyed by notebook file name, then code-cell index; each entry is (the cell's first line, why),
checked against the notebook so an edit that shifts cells cannot silently excuse another.
"""

KNOWN_DIFFERENCES = {
}
