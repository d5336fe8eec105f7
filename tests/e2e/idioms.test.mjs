// Dask code from the wild in the page: the notebook of Dask's documented idioms
// (tests/dask/idioms/dask-idioms.json, the one test-dask compares with real Dask cell by cell)
// imported through the Import button and Run all in Chromium, with no cell error. The cells
// tests/dask/known_differences.py lists (Skein still differs there) are left out, so a new
// failure is never excused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openNotebook, runAll, SCREENSHOTS, withIsolatedSite } from './harness.mjs';

const IDIOMS = new URL('../dask/idioms/dask-idioms.json', import.meta.url);
const KNOWN = new URL('../dask/known_differences.py', import.meta.url);

let browser;
let site;
withIsolatedSite((b, s) => {
  browser = b;
  site = s;
});

/** The first lines of the idiom cells known to differ (`17: ('class Point:', …)`). */
function knownDifferences() {
  const text = fs.readFileSync(KNOWN, 'utf8');
  const section = text.slice(text.indexOf('"dask-idioms.json"'));
  return [...section.matchAll(/^\s+\d+: \('([^']*)'/gm)].map((m) => m[1]);
}

test("Dask's documented idioms: imported into the page, Run all runs every cell without error", async () => {
  const notebook = JSON.parse(fs.readFileSync(IDIOMS, 'utf8'));
  const known = knownDifferences();
  assert.ok(known.length < 10, `known differences: ${known}`);
  const cells = notebook.cells.filter((c) => !(c.kind === 'code' && known.some((first) => c.source.split('\n')[0] === first)));
  assert.equal(notebook.cells.length - cells.length, known.length, 'each known difference names one cell');
  const codeCells = cells.filter((c) => c.kind === 'code').length;

  const { page, errors } = await openNotebook(browser, site.url);
  await page.locator('label.button:has-text("Import") input').setInputFiles({
    name: 'dask-idioms.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...notebook, cells })),
  });
  await page.waitForFunction((n) => document.querySelectorAll('section.cell.code').length === n, codeCells);
  const started = Date.now();
  await runAll(page, 600_000);
  console.log(`dask idioms: Run all of ${codeCells} cells took ${Date.now() - started} ms`);
  await page.screenshot({ path: `${SCREENSHOTS}dask-idioms.png`, fullPage: true });

  const failed = await page.locator('[data-testid="cell-error"]').allTextContents();
  assert.deepEqual(failed, [], 'no idiom cell failed');
  const counted = await page.locator('section.cell.code .count').allTextContents();
  assert.equal(counted.filter((c) => /^\[\d+\]$/.test(c)).length, codeCells, 'every idiom cell ran');
  assert.deepEqual(errors, [], 'no page errors');
});
