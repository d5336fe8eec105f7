#!/usr/bin/env python3
"""The proof that Skein's "Export to Dask" runs on Dask: every example notebook, exported,
executed under CPython with the real dask, distributed, numpy, pandas, scipy and matplotlib,
gives what Skein gave.

For each notebook (web/examples/*.json and *.ipynb, and tests/dask/notebooks/*):

1. `skein run NOTEBOOK --data DIR` runs it in Skein, twice (beside step 3);
2. `skein export NOTEBOOK -o OUT.ipynb` exports it;
3. nbclient executes the export in a fresh Jupyter kernel (ipykernel) in a scratch
   directory holding the notebook's data files; the notebook's own `Client()` starts a
   LocalCluster;
4. each code cell's outputs are compared with Skein's, and every difference is reported by
   notebook and cell. Any difference fails the run, and so does an error on Dask that Skein
   did not raise.

Run it with the Python that has tests/dask/requirements.txt installed (`cargo xtask
test-dask` makes that venv and passes the skein binary):

    python tests/dask/run_exports.py --skein target/release/skein [NOTEBOOK ...]

How outputs compare
-------------------
Outputs are lines of text (printed lines, a value's repr, an error's "Type: message"),
tables (pandas frames, by the text/plain Jupyter shows: pandas' repr), pictures (plots and
task graphs, by count) and files.

Text is compared after normalising what each implementation chooses for itself: an opaque
repr `<Client: ...>`, `<Future at 0x...>` shows as its type name only (`<Client>`), a Dask
key's token (the hash or uuid after `name-`) as `<token>`, NumPy 2's scalar reprs
(`np.float64(2.5)`) as the number (Skein's pandas returns Python numbers), and the line
breaks IPython's pretty printer puts after the commas of a long list or dict are undone
(Skein shows the one-line repr). The report of `%%time`/`%time` (its "CPU times:" and "Wall
time:" lines) and of `%timeit`/`%%timeit` is a measurement, not a result, and is left out. So are, in a cell that shows a
picture, the reprs of what plotting calls return (`<Axes: >`, `<matplotlib.colorbar.Colorbar
at 0x...>`, `Text(0, 0.5, 'fires')`): handles on the picture, which is compared by count.
A file a cell offers as a download in Skein must exist in the execution directory after
the Dask run.

A cell is *random* when its outputs may change from run to run:

- statically: one of its statements (not a def) reads a random source — the `random`
  module, an attribute named `random`, `sample`, `choice`, `shuffle`, `randint`, `uniform`,
  `normal`, `permutation` or `default_rng` (`np.random`, `df.sample`), or an impure
  skein.labs function — or a name derived from one: assigned from one, filled from one
  (`xs.append(...)`), or a function or class whose code reads one, followed through the
  functions it calls;
- dynamically: its outputs differ between Skein's two runs (timing, say).

A deterministic cell must match exactly. A random cell must match in shape: the same
lines with every number masked (runs of repeated lines, like a loop's progress, count
once), the same kind of number (int, float, bool) in each place, non-finite where Skein's
is, and each line's largest magnitude within a factor of 10 of Skein's (magnitudes below 1
count as 1; a line of zeros, a draw that came out 0, is not compared in size; a table row's
label, which row was drawn, is left out).

Notebooks Skein cannot run to the end yet are still executed on Dask in full (any error
there fails); the cells after Skein's failure are reported as not compared.
"""

import argparse
import ast
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from known_differences import KNOWN_DIFFERENCES

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_NOTEBOOKS = [
    *sorted((ROOT / "web" / "examples").glob("*.json")),
    *sorted((ROOT / "web" / "examples").glob("*.ipynb")),
    *sorted((ROOT / "tests" / "dask" / "notebooks").glob("*.json")),
    *sorted((ROOT / "tests" / "dask" / "idioms").glob("*.json")),
]
# Idiom notebooks run in Skein past failing cells (`--allow-errors`): every cell is compared,
# and a difference fails unless known_differences.py lists it.
IDIOMS = ROOT / "tests" / "dask" / "idioms"
NOTEBOOK_SUFFIXES = {".json", ".ipynb"}
CELL_TIMEOUT = 600

# --- reading notebooks ---------------------------------------------------------------------


def code_sources(path):
    """The code cells' sources of a Skein .json or a Jupyter .ipynb, in order."""
    doc = json.loads(path.read_text())
    if "nbformat" in doc:
        return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                for c in doc["cells"] if c["cell_type"] == "code"]
    return [c["source"] for c in doc["cells"] if c["kind"] == "code"]


# --- which cells are random ----------------------------------------------------------------

RANDOM_ATTRIBUTES = {
    "random", "sample", "choice", "choices", "shuffle", "randint", "uniform", "normal",
    "permutation", "default_rng",
}
IMPURE_LABS = {"multi_sample", "response_to_random_fire", "nearest_truck_response"}
RANDOM_MODULES = {"random", "numpy.random"}
MUTATORS = {"append", "extend", "add", "insert", "update", "setdefault", "put"}


def without_magics(source):
    return "\n".join("" if line.startswith("%") else line for line in source.split("\n"))


def _walk_outside_functions(node):
    """The nodes of a statement, not descending into nested functions, classes or lambdas."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                stack.append(child)


class Taint:
    """Which names hold (or compute) random values, cell by cell in notebook order."""

    def __init__(self):
        self.tainted = set()
        self.functions = {}

    def is_tainted(self, name, seen=None):
        if name in self.tainted:
            return True
        reads = self.functions.get(name)
        if reads is None:
            return False
        seen = seen or set()
        if name in seen:
            return False
        seen.add(name)
        return any(self.is_tainted(n, seen) for n in reads)

    def reads_random(self, node, names_only=False):
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load) and self.is_tainted(child.id):
                return True
            if not names_only and isinstance(child, ast.Attribute) and (
                child.attr in RANDOM_ATTRIBUTES or child.attr in IMPURE_LABS
            ):
                return True
        return False

    def bind(self, name, random):
        self.functions.pop(name, None)
        if random:
            self.tainted.add(name)
        else:
            self.tainted.discard(name)

    def cell_is_random(self, source):
        """Reads the cell's statements, updating what is tainted; whether it is random."""
        try:
            body = ast.parse(without_magics(source)).body
        except SyntaxError:
            return False
        random = False
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                reads = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
                direct = self.reads_random(stmt)
                self.bind(stmt.name, direct)
                if not direct:
                    self.functions[stmt.name] = reads
            elif isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    self.bind(bound, alias.name in RANDOM_MODULES and (alias.asname is not None or alias.name == "random"))
            elif isinstance(stmt, ast.ImportFrom):
                for alias in stmt.names:
                    bound = alias.asname or alias.name
                    self.bind(bound, stmt.module in RANDOM_MODULES
                              or (stmt.module == "numpy" and alias.name == "random")
                              or (stmt.module == "skein.labs" and alias.name in IMPURE_LABS))
            else:
                if self.reads_random(stmt):
                    random = True
                    for node in _walk_outside_functions(stmt):
                        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                            self.bind(node.id, True)
                        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                              and node.func.attr in MUTATORS and isinstance(node.func.value, ast.Name)):
                            self.bind(node.func.value.id, True)
                        elif (isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store)
                              and isinstance(node.value, ast.Name)):
                            self.bind(node.value.id, True)
                elif isinstance(stmt, ast.Assign):
                    for target in stmt.targets:
                        if isinstance(target, ast.Name):
                            self.bind(target.id, False)
        return random


def random_cells(sources):
    taint = Taint()
    return [taint.cell_is_random(s) for s in sources]


# --- outputs -------------------------------------------------------------------------------

OPAQUE = re.compile(r"<([A-Za-z_][\w.]*)(?:[ :][^<>]*)?>")
TOKEN = re.compile(r"\b([A-Za-z_]\w*)-(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b")
NUMPY_SCALAR = re.compile(r"\bnp\.(?:float|int|uint|complex)\d*\(([^()]*)\)|\bnp\.(?:True|False)_")
NUMBER = re.compile(r"(?<![\w.])(?:[-+]?(?:\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|inf|nan|True|False)(?![\w.])")
PRETTY_BREAK = re.compile(r",\n\s*")
ARTIST = r"(?:<Axes>|<Figure>|<BarContainer>|<matplotlib\.[\w.]+>|Text\(.*\))"
ARTIST_HANDLES = re.compile(rf"^\[?{ARTIST}(?:, {ARTIST})*\]?$")
TIMING = re.compile(r"^(CPU times: |Wall time: |\S+ \S+ ± \S+ \S+ per loop \(mean ± std\. dev\. of )")


def is_timed(source):
    """Whether the cell has IPython's %time, %timeit, %%time or %%timeit (their reports are
    measurements, left out of the comparison)."""
    return any(line.startswith(("%time", "%%time")) for line in source.split("\n"))


def normalise(text):
    text = PRETTY_BREAK.sub(", ", text)
    text = NUMPY_SCALAR.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(0)[3:-1], text)
    text = OPAQUE.sub(r"<\1>", text)
    return TOKEN.sub(r"\1-<token>", text)


class Outputs:
    """One cell's outputs, normalised: lines (text, values, errors, tables), pictures and
    files, in a form both sides share."""

    def __init__(self):
        self.lines = []  # (kind, text)
        self.pictures = 0
        self.files = []

    def add_text(self, kind, text, timed):
        for line in normalise(text).split("\n"):
            if timed and TIMING.match(line):
                continue
            self.lines.append((kind, line))

    def without_artist_handles(self):
        """Drops the reprs of what plotting calls return when the cell shows a picture."""
        if self.pictures:
            self.lines = [l for l in self.lines if not (l[0] == "value" and ARTIST_HANDLES.match(l[1]))]
        return self

    def __eq__(self, other):
        return (self.lines, self.pictures, self.files) == (other.lines, other.pictures, other.files)

    def __repr__(self):
        return f"Outputs({self.lines!r}, pictures={self.pictures}, files={self.files})"


def skein_outputs(records, sources):
    cells = [Outputs() for _ in sources]
    for r in records:
        out = cells[r["cell"]]
        timed = is_timed(sources[r["cell"]])
        kind, text = r["kind"], r["text"]
        if kind in ("plot", "graph"):
            out.pictures += 1
        elif kind == "file":
            out.files.append(text)
        elif kind == "table":
            out.add_text("table", text, timed)
        else:
            out.add_text("value" if kind == "value" else "error" if kind == "error" else "text", text, timed)
    return [c.without_artist_handles() for c in cells]


def jupyter_outputs(cell, timed):
    out = Outputs()
    # The kernel may flush one print in several stream messages ("256" then " 256\n"):
    # consecutive stdout messages are one text.
    printed = ""

    def flush():
        nonlocal printed
        if printed:
            out.add_text("text", printed[:-1] if printed.endswith("\n") else printed, timed)
            printed = ""

    for o in cell.get("outputs", []):
        kind = o["output_type"]
        if kind == "stream":
            if o["name"] == "stdout":
                printed += o["text"]
            continue
        flush()
        if kind in ("execute_result", "display_data"):
            data = o["data"]
            if any(k.startswith("image/") for k in data):
                out.pictures += 1
            elif 'class="dataframe' in data.get("text/html", ""):
                out.add_text("table", data.get("text/plain", ""), timed)
            elif kind == "execute_result":
                out.add_text("value", data.get("text/plain", ""), timed)
            else:
                out.add_text("text", data.get("text/plain", ""), timed)
        elif kind == "error":
            out.add_text("error", f"{o['ename']}: {o['evalue']}", timed)
    flush()
    # Jupyter joins consecutive prints into one stream, Skein keeps each line apart: both
    # are compared line by line (a stream's last newline ends its last line).
    return out.without_artist_handles()


# --- comparing -----------------------------------------------------------------------------


def number_kind(token):
    if token in ("True", "False"):
        return "bool"
    if token in ("inf", "-inf", "nan") or any(c in token for c in ".eE") or token.endswith("inf"):
        return "float"
    return "int"


def value_of(token):
    if token in ("True", "False"):
        return float(token == "True")
    return float(token.replace("_", ""))


def skeleton(line):
    kind, text = line
    masked = NUMBER.sub("#", text)
    # A table's columns are as wide as the numbers drawn in them.
    return kind, " ".join(masked.split()) if kind == "table" else masked


def collapse(lines):
    """Lines grouped into runs of the same skeleton."""
    runs = []
    for line in lines:
        if runs and skeleton(runs[-1][0]) == skeleton(line):
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def magnitude(numbers):
    finite = [abs(value_of(n)) for n in numbers if math.isfinite(value_of(n))]
    return max([1.0, *finite])


def random_line_difference(ours, theirs):
    a, b = NUMBER.findall(ours[1]), NUMBER.findall(theirs[1])
    for x, y in zip(a, b):
        if number_kind(x) != number_kind(y):
            return f"{x} and {y} are not the same kind of number"
        if math.isfinite(value_of(x)) != math.isfinite(value_of(y)):
            return f"{x} and {y}: one is not finite"
    if ours[0] == "table":
        # A row's label is which row was drawn (`df.sample`), not a value computed.
        a, b = a[1:], b[1:]
    ma, mb = magnitude(a), magnitude(b)
    all_zero = lambda numbers: all(value_of(n) == 0 for n in numbers)  # noqa: E731
    if not (all_zero(a) or all_zero(b)) and max(ma, mb) > 10 * min(ma, mb):
        return f"largest magnitudes {ma:g} and {mb:g} differ by more than 10x"
    return None


def compare(skein, dask, random):
    """The differences between a cell's outputs (empty when they match)."""
    problems = []
    if skein.pictures != dask.pictures:
        problems.append(f"{skein.pictures} picture(s) in Skein, {dask.pictures} on Dask")
    if not random:
        if skein.lines != dask.lines:
            problems.append(describe_lines(skein.lines, dask.lines))
        return problems
    ours, theirs = collapse(skein.lines), collapse(dask.lines)
    if [skeleton(r[0]) for r in ours] != [skeleton(r[0]) for r in theirs]:
        problems.append("(random cell, numbers masked) " + describe_lines(
            [skeleton(r[0]) for r in ours], [skeleton(r[0]) for r in theirs]))
        return problems
    for run_a, run_b in zip(ours, theirs):
        for a, b in zip(run_a, run_b):
            why = random_line_difference(a, b)
            if why:
                problems.append(f"(random cell) {why}:\n      Skein: {a[1][:300]}\n      Dask:  {b[1][:300]}")
                break
    return problems


def describe_lines(ours, theirs):
    for i in range(max(len(ours), len(theirs))):
        a = ours[i] if i < len(ours) else None
        b = theirs[i] if i < len(theirs) else None
        if a != b:
            show = lambda l: "(nothing)" if l is None else f"[{l[0]}] {l[1][:300]}"  # noqa: E731
            return (f"output line {i + 1} differs ({len(ours)} line(s) in Skein, {len(theirs)} on Dask):\n"
                    f"      Skein: {show(a)}\n      Dask:  {show(b)}")
    return "outputs differ"


# --- running -------------------------------------------------------------------------------


def run_skein(skein, notebook, data, allow_errors=False):
    flags = ["--allow-errors"] if allow_errors else []
    proc = subprocess.run([skein, "run", str(notebook), "--data", str(data), *flags],
                          capture_output=True, text=True, timeout=1800)
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    failed = None
    if proc.returncode != 0:
        match = re.search(r"cell (\d+) failed:\n(.*)", proc.stderr, re.S)
        if match:
            last = [l for l in match.group(2).strip().splitlines() if l.strip()]
            failed = (int(match.group(1)), last[-1] if last else "")
        else:
            failed = (0, proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}")
    return records, failed


def stage_data(source_dir, work):
    """Copies the notebook's data files (everything beside it but notebooks) into `work`."""
    for entry in source_dir.iterdir():
        if entry.is_dir():
            shutil.copytree(entry, work / entry.name, dirs_exist_ok=True)
        elif entry.suffix not in NOTEBOOK_SUFFIXES:
            shutil.copy2(entry, work / entry.name)


def run_dask(skein, notebook, work, seconds=None):
    """Exports and executes the notebook; returns its own code cells (not the export's inserted
    ones) and the executed export's path. `seconds`, a dict, receives each executed cell's
    wall time by its index in the export."""
    exported = work / (notebook.stem + ".dask.ipynb")
    subprocess.run([skein, "export", str(notebook), "-o", str(exported)], check=True,
                   capture_output=True, text=True)
    nb = nbformat.read(exported, as_version=4)
    hooks = {}
    if seconds is not None:
        began = {}
        hooks = {
            "on_cell_execute": lambda cell, cell_index: began.__setitem__(cell_index, time.perf_counter()),
            "on_cell_executed": lambda cell, cell_index, execute_reply: seconds.__setitem__(
                cell_index, time.perf_counter() - began[cell_index]),
        }
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(work)}}, **hooks)
    # The kernel's own log (the cluster's chatter as it shuts down) goes beside the export.
    with open(work / "kernel.log", "w") as log:
        client.execute(stderr=log)
    nbformat.write(nb, exported)
    return [c for c in nb.cells
            if c.cell_type == "code" and "inserted" not in c.get("metadata", {}).get("skein", {})], exported


def check_notebook(skein, notebook, scratch):
    """Runs one notebook both ways; returns (compared, matched, problems, incomplete)."""
    name = notebook.relative_to(ROOT) if notebook.is_relative_to(ROOT) else notebook
    print(f"\n=== {name}", flush=True)
    sources = code_sources(notebook)
    idioms = notebook.parent == IDIOMS
    known = KNOWN_DIFFERENCES.get(notebook.name, {}) if idioms else {}
    started = time.monotonic()
    runs = []
    # Skein's runs overlap the Dask run, which mostly waits on its cluster.
    in_skein = threading.Thread(target=lambda: runs.extend(
        run_skein(skein, notebook, notebook.parent, allow_errors=idioms) for _ in range(2)))
    in_skein.start()
    work = scratch / notebook.stem
    work.mkdir(parents=True)
    stage_data(notebook.parent, work)
    try:
        cells, exported = run_dask(skein, notebook, work)
    finally:
        in_skein.join()
    seconds = time.monotonic() - started
    (first, failed), (second, failed_again) = runs
    ours, again = skein_outputs(first, sources), skein_outputs(second, sources)
    ran = min([len(sources), *(f[0] for f in (failed, failed_again) if f is not None and not idioms)])
    if len(cells) != len(sources):
        return 0, 0, [f"the export has {len(cells)} code cells of the notebook's own, not {len(sources)}"], False

    statically_random = random_cells(sources)
    problems, compared, matched, randoms, excused = [], 0, 0, 0, []
    for index, why in known.items():
        first_line = sources[index].strip().splitlines()[0] if index < len(sources) else None
        if first_line != why[0]:
            problems.append(f"known_differences.py: cell {index} starts {first_line!r}, not {why[0]!r}")
    for index, (source, cell) in enumerate(zip(sources, cells)):
        timed = is_timed(source)
        theirs = jupyter_outputs(cell, timed)
        errors = [text for kind, text in theirs.lines if kind == "error"]
        if index >= ran:
            if errors:
                problems.append(f"cell {index}: fails on Dask: {errors[0]}")
            continue
        varies = ours[index] != again[index]
        random = statically_random[index] or varies
        differences = compare(ours[index], theirs, random)
        for file in ours[index].files:
            if not (work / file).exists():
                differences.append(f"Skein offers the file {file!r}; the Dask run wrote none")
        compared += 1
        randoms += random
        label = "random" if random else "deterministic"
        if index in known:
            if differences:
                excused.append(f"cell {index} ({known[index][1]})")
            else:
                problems.append(f"cell {index} now matches: remove it from known_differences.py")
        elif differences:
            first_line = source.strip().splitlines()[0] if source.strip() else ""
            problems.append(f"cell {index} ({label}; {first_line[:60]!r}):\n    " + "\n    ".join(differences))
        else:
            matched += 1
    incomplete = ran < len(sources)
    print(f"{seconds:.1f} s; the executed export: {exported}")
    print(f"{matched} of {compared} cells match ({randoms} of them random)")
    for line in excused:
        print("KNOWN DIFFERENCE " + line)
    if incomplete:
        why = failed if failed is not None else failed_again
        print(f"NOT COMPARED: cells {ran} to {len(sources) - 1}: Skein stopped at cell {why[0]}: {why[1]}")
    for problem in problems:
        print("DIFFERS " + problem)
    return compared, matched, problems, incomplete


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skein", required=True, help="the skein binary")
    parser.add_argument("--keep", help="keep the executed exports in this directory")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every example")
    args = parser.parse_args()
    notebooks = [n.resolve() for n in args.notebooks] or DEFAULT_NOTEBOOKS
    scratch = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="skein-dask-"))
    if args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
    totals = {"compared": 0, "matched": 0, "failing": [], "incomplete": []}
    started = time.monotonic()
    try:
        for notebook in notebooks:
            compared, matched, problems, incomplete = check_notebook(args.skein, notebook, scratch)
            totals["compared"] += compared
            totals["matched"] += matched
            if problems:
                totals["failing"].append(notebook.name)
            if incomplete:
                totals["incomplete"].append(notebook.name)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"\n{len(notebooks)} notebooks, {totals['matched']} of {totals['compared']} cells match "
          f"Skein on Dask ({time.monotonic() - started:.0f} s)")
    if totals["incomplete"]:
        print("Skein cannot run all of: " + ", ".join(totals["incomplete"]))
    if totals["failing"]:
        print("DIFFERENT on Dask: " + ", ".join(totals["failing"]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
