// Where a cell's time goes in the page (`cargo xtask profile-browser`): the cell runs once to
// warm up, then once under Chromium's sampling profiler (tracing category
// `disabled-by-default-v8.cpu_profiler`, which samples every thread: the page's main thread,
// the kernel's and each worker's). For each thread that did work it prints the functions with
// the most time of their own, and the most time with what they call. Function names come from
// the wasm's name section, so SKEIN_DIST should be a build that keeps it (`profile-browser`
// makes one). Not a test: nothing is asserted.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist, launchBrowser, openNotebook, newCell, runCell, settle } from './harness.mjs';

const SETUP = process.env.SKEIN_PROFILE_SETUP
  ?? 'from dask.distributed import Client\nclient = Client()\ndef inc(x):\n    return x + 1';
const CELL = process.env.SKEIN_PROFILE_CELL
  ?? 'r = client.gather(client.map(inc, list(range(20000)), pure=False))';
const TOP = Number(process.env.SKEIN_PROFILE_TOP ?? 25);
// A thread is shown when this many milliseconds of its samples are neither idle nor waiting.
const BUSY_MS = 20;
const WAITING = /\(idle\)|\(program\)|Condvar>::wait|thread::functions::park/;

async function profile() {
  const dir = await mkdtemp(join(tmpdir(), 'skein-profile-'));
  const trace = join(dir, 'trace.json');
  const browser = await launchBrowser();
  const site = await serveDist({ isolated: true });
  try {
    const { page } = await openNotebook(browser, site.url);
    await runCell(page, SETUP, 600_000);
    const cell = await newCell(page, CELL);
    for (const profiled of [false, true]) {
      if (profiled) {
        await browser.startTracing(page, { path: trace, categories: ['disabled-by-default-v8.cpu_profiler'] });
      }
      const started = Date.now();
      await cell.getByTestId('run-cell').click();
      await settle(page, 600_000);
      const failed = await cell.getByTestId('cell-error').allTextContents();
      if (failed.length > 0) throw new Error(`the cell failed: ${failed.join('\n')}`);
      if (profiled) {
        await browser.stopTracing();
        console.log(`cell, profiled: ${Date.now() - started} ms (wall, from the click to the page settling)`);
      }
    }
    return JSON.parse(await readFile(trace, 'utf8'));
  } finally {
    await site.close();
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The trace's profiles by id: their call-tree nodes and their samples with time deltas. */
function profiles(trace) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const byId = new Map();
  for (const event of events) {
    if (event.name !== 'Profile' && event.name !== 'ProfileChunk') continue;
    if (!byId.has(event.id)) byId.set(event.id, { tid: event.tid, nodes: new Map(), samples: [], deltas: [] });
    const found = byId.get(event.id);
    const data = event.args?.data ?? {};
    for (const node of data.cpuProfile?.nodes ?? []) found.nodes.set(node.id, node);
    found.samples.push(...(data.cpuProfile?.samples ?? []));
    found.deltas.push(...(data.timeDeltas ?? []));
  }
  return [...byId.values()];
}

function report({ tid, nodes, samples, deltas }) {
  const own = new Map();
  const inclusive = new Map();
  const add = (map, name, us) => map.set(name, (map.get(name) ?? 0) + us);
  let busy = 0;
  samples.forEach((id, i) => {
    const us = Math.max(0, deltas[i] ?? 0);
    let node = nodes.get(id);
    if (!node) return;
    const name = node.callFrame.functionName || '(anonymous)';
    add(own, name, us);
    if (!WAITING.test(name)) busy += us;
    const seen = new Set();
    for (; node; node = nodes.get(node.parent)) {
      const frame = node.callFrame.functionName || '(anonymous)';
      if (!seen.has(frame)) add(inclusive, frame, us);
      seen.add(frame);
    }
  });
  if (busy / 1000 < BUSY_MS) return;
  const top = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  const line = ([name, us]) => `  ${(us / 1000).toFixed(1).padStart(9)} ms  ${name.slice(0, 150)}`;
  console.log(`\nthread ${tid}: ${(busy / 1000).toFixed(1)} ms busy`);
  console.log(' own time:');
  top(own).forEach((entry) => console.log(line(entry)));
  console.log(' with what they call:');
  top(inclusive).forEach((entry) => console.log(line(entry)));
}

for (const found of profiles(await profile())) report(found);
