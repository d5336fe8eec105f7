// Python's own speed in the page beside the native `skein` (`cargo xtask bench-browser`): in a
// fresh notebook of the built site, the seed's pure-Python `multi_sample(n)` on the kernel
// thread and as one task on a worker (`client.submit(…).result()`), and the per-task cost of
// `client.gather(client.map(inc, range(20000)))`. Each round runs the same cells in Chromium,
// then through `skein run` (SKEIN_BIN), so both meet the same moments of a shared machine; the
// cells time themselves with `time.perf_counter()`. Prints one JSON line per figure with the
// best of the rounds on each side, their ratio, and the median of each round's ratio. Not a
// test: nothing is asserted.
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist, launchBrowser, openNotebook, newCell, runCell, settle } from './harness.mjs';

const ROUNDS = Number(process.env.SKEIN_BENCH_RUNS ?? 3);
const SAMPLES = Number(process.env.SKEIN_BENCH_SAMPLES ?? 500_000);
const TASKS = 20_000;
const SKEIN_BIN = process.env.SKEIN_BIN;
if (!SKEIN_BIN) {
  console.error('bench-python.mjs needs SKEIN_BIN, a native `skein` built with --release');
  process.exit(2);
}

// The seed's sampling loop, as in crates/skein-cli/src/python_bench.rs (MULTI_SAMPLE).
const MULTI_SAMPLE = 'import random\ndef multi_sample(n):\n    total = 0\n    for i in range(n):\n'
  + '        x = random.uniform(0, 1)\n        y = random.uniform(0, 1)\n        d = x*x + y*y\n'
  + '        if d < 1:\n            total += 1\n    return total\n';
const SETUP = `import time\nfrom dask.distributed import Client\nclient = Client()\n${MULTI_SAMPLE}`
  + 'def inc(x):\n    return x + 1\n';
const WARM_UP = 'multi_sample(1000)\nclient.submit(multi_sample, 1000, pure=False).result()\n'
  + 'client.gather(client.map(inc, list(range(100)), pure=False))\nNone';
// Each measured cell's value is its figure.
const FIGURES = {
  kernel: `t = time.perf_counter()\nmulti_sample(${SAMPLES})\n${SAMPLES} / (time.perf_counter() - t)`,
  worker: `t = time.perf_counter()\nclient.submit(multi_sample, ${SAMPLES}, pure=False).result()\n`
    + `${SAMPLES} / (time.perf_counter() - t)`,
  tasks: `t = time.perf_counter()\nr = client.gather(client.map(inc, list(range(${TASKS})), pure=False))\n`
    + `(time.perf_counter() - t) / ${TASKS} * 1e6`,
};
const NAMES = Object.keys(FIGURES);

/** One native round: the same cells through `skein run`, each figure by name. */
async function nativeRound(dir) {
  const cells = [SETUP, WARM_UP, ...NAMES.map((name) => FIGURES[name])];
  const notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: cells.map((source) => ({ cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null })),
  };
  const file = join(dir, 'bench-python.ipynb');
  await writeFile(file, JSON.stringify(notebook));
  const out = execFileSync(SKEIN_BIN, ['run', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const figures = {};
  for (const line of out.split('\n').filter(Boolean)) {
    const { cell, kind, text } = JSON.parse(line);
    if (kind === 'value' && cell >= 2) figures[NAMES[cell - 2]] = Number(text);
  }
  return figures;
}

/** Runs one cell that is already on the page and returns its value as a number. */
async function runFigure(page, cell) {
  await cell.getByTestId('run-cell').click();
  await settle(page, 600_000);
  const failed = await cell.getByTestId('cell-error').allTextContents();
  if (failed.length > 0) throw new Error(`a bench cell failed: ${failed.join('\n')}`);
  return Number(await cell.locator('pre.out.value').textContent());
}

const browser = await launchBrowser();
const site = await serveDist({ isolated: true });
const dir = await mkdtemp(join(tmpdir(), 'skein-bench-python-'));
const rounds = { chromium: [], native: [] };
let workers = '';
try {
  const { page } = await openNotebook(browser, site.url);
  workers = (await page.getByTestId('workers').textContent()).trim();
  for (const source of [SETUP, WARM_UP]) await runCell(page, source, 600_000);
  const cells = {};
  for (const name of NAMES) cells[name] = await newCell(page, FIGURES[name]);
  for (let round = 0; round < ROUNDS; round += 1) {
    const chromium = {};
    for (const name of NAMES) chromium[name] = await runFigure(page, cells[name]);
    const native = await nativeRound(dir);
    console.error(`round ${round + 1}: chromium ${JSON.stringify(chromium)} native ${JSON.stringify(native)}`);
    rounds.chromium.push(chromium);
    rounds.native.push(native);
  }
} finally {
  await site.close();
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}

const best = (side, name, pick) => pick(...rounds[side].map((r) => r[name]).filter(Number.isFinite));
const round3 = (x) => Math.round(x * 1000) / 1000;
const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
// Each round's browser/native ratio: both sides met the same load, so on a shared machine the
// median of these is steadier than the ratio of the best figures.
const ratios = (name) => rounds.chromium.map((c, i) => round3(c[name] / rounds.native[i][name]));
for (const name of ['kernel', 'worker']) {
  const chromium = best('chromium', name, Math.max);
  const native = best('native', name, Math.max);
  console.log(JSON.stringify({
    bench: `browser_python_multi_sample_${name}`,
    where: name === 'kernel' ? 'multi_sample(n) on the kernel thread' : 'client.submit(multi_sample, n).result(): one task on a worker',
    samples: SAMPLES, workers,
    chromium_samples_per_sec: Math.round(chromium), native_samples_per_sec: Math.round(native),
    chromium_vs_native: round3(chromium / native), round_ratios: ratios(name),
    median_round_ratio: median(ratios(name)), target_chromium_vs_native: 0.8,
  }));
}
const chromium = best('chromium', 'tasks', Math.min);
const native = best('native', 'tasks', Math.min);
console.log(JSON.stringify({
  bench: 'browser_python_tasks', tasks: TASKS, workers,
  where: 'client.gather(client.map(inc, range(n), pure=False)), per task',
  chromium_us_per_task: round3(chromium), native_us_per_task: round3(native),
  chromium_vs_native: round3(chromium / native), round_ratios: ratios('tasks'),
  median_round_ratio: median(ratios('tasks')), target_chromium_vs_native: 1.5,
}));
