// The Chromium half of `cargo xtask bench-browser`: Run all of each seed notebook in the built
// site, timing every code cell from the moment it starts running to the moment it settles.
// Writes JSON to the file named by the first argument:
//   [{ "notebook": id, "run_all_ms": n, "workers": "…", "cells": [{ "index": i, "ms": n }] }]
// Not a test: it measures, and fails only when a notebook does not run to the end.
import { writeFile } from 'node:fs/promises';
import { serveDist, launchBrowser, openNotebook, settle } from './harness.mjs';

const SEEDS = ['parallelizing-your-own-python-algorithms', 'embarrassingly-parallel-workloads'];
const out = process.argv[2];
if (!out) {
  console.error('usage: node bench-seeds.mjs OUT.json');
  process.exit(2);
}

/** Records, in the page, when each code cell starts and stops running (performance.now()). */
function watchCells() {
  const cells = [...document.querySelectorAll('section.cell.code')];
  window.skeinCellTimes = cells.map(() => ({ start: null, end: null }));
  const observer = new MutationObserver((mutations) => {
    const now = performance.now();
    for (const m of mutations) {
      const index = cells.indexOf(m.target);
      if (index < 0) continue;
      const times = window.skeinCellTimes[index];
      const state = m.target.dataset.state;
      if (state === 'running' && times.start === null) times.start = now;
      else if (!['queued', 'running'].includes(state) && times.start !== null) times.end = now;
    }
  });
  for (const cell of cells) observer.observe(cell, { attributes: true, attributeFilter: ['data-state'] });
}

const browser = await launchBrowser();
const site = await serveDist({ isolated: true });
const results = [];
try {
  for (const id of SEEDS) {
    const { page } = await openNotebook(browser, site.url);
    await page.getByTestId('examples').selectOption(id);
    await page.locator('section.cell').first().waitFor();
    const workers = await page.getByTestId('workers').textContent();
    await page.evaluate(watchCells);
    const started = Date.now();
    await page.getByTestId('run-all').click();
    await settle(page, 1_800_000);
    const runAllMs = Date.now() - started;
    const failed = await page.locator('[data-testid="cell-error"]').allTextContents();
    if (failed.length > 0) throw new Error(`${id}: a cell failed: ${failed[0]}`);
    const times = await page.evaluate(() => window.skeinCellTimes);
    const cells = times.map((t, index) => ({
      index,
      ms: t.start === null || t.end === null ? null : Math.round((t.end - t.start) * 10) / 10,
    }));
    console.error(`${id}: Run all took ${runAllMs} ms in Chromium (${workers.trim()})`);
    results.push({ notebook: id, run_all_ms: runAllMs, workers: workers.trim(), cells });
    await page.close();
  }
} finally {
  await site.close();
  await browser.close();
}
await writeFile(out, JSON.stringify(results, null, 1));
