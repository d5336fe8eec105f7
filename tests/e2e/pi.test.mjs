// The thin slice end to end: the served site starts a Web Worker pool, runs the Monte Carlo π
// batches on more than one worker, and falls back to one thread when not isolated.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serveDist, launchBrowser, openPage, valueOf, settle, SCREENSHOTS,
} from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function runPi(page) {
  await page.getByTestId('run-pi').click();
  const estimate = page.getByTestId('pi-estimate');
  await estimate.waitFor({ timeout: 120_000 });
  return {
    estimate: Number(await estimate.textContent()),
    threads: Number(await page.getByTestId('pi-threads').textContent()),
    parallelMs: parseFloat(await page.getByTestId('pi-parallel-ms').textContent()),
    singleMs: parseFloat(await page.getByTestId('pi-single-ms').textContent()),
    batch: await page.getByTestId('pi-batch-ms').textContent(),
  };
}

test('with COOP/COEP the pool has several workers and π runs on more than one', async () => {
  const site = await serveDist({ isolated: true });
  try {
    const { page, errors } = await openPage(browser, site.url);
    assert.equal(await valueOf(page, 'isolated'), 'true');
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    const workers = Number(await valueOf(page, 'workers'));
    const interactiveMs = await page.evaluate(() => performance.now());
    console.log(`load to interactive (workers up): ${interactiveMs.toFixed(0)} ms`);
    const hardware = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(workers, hardware, 'one task worker per hardware thread');
    assert.ok(workers > 1, `expected more than one worker, saw ${workers}`);

    const pi = await runPi(page);
    assert.ok(Math.abs(pi.estimate - Math.PI) < 0.01, `π estimate ${pi.estimate}`);
    assert.ok(pi.threads > 1, `batches ran on ${pi.threads} thread(s): threads fell back to one`);
    assert.ok(pi.parallelMs > 0 && pi.singleMs > 0);
    assert.match(pi.batch, /^\d+\.\d\d ms side by side, \d+\.\d\d ms alone$/);
    await page.screenshot({ path: `${SCREENSHOTS}pi-isolated.png`, fullPage: true });
    console.log(`π ${pi.estimate} on ${pi.threads} threads: ${pi.parallelMs} ms vs ${pi.singleMs} ms on one`);
    assert.deepEqual(errors, []);
  } finally {
    await site.close();
  }
});

test('without the headers, the service worker fallback isolates the page', async () => {
  const site = await serveDist({ isolated: false });
  try {
    const { page } = await openPage(browser, site.url);
    await page.locator('[data-testid="isolated"][data-value="true"]').waitFor({ timeout: 60_000 });
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.ok(Number(await valueOf(page, 'workers')) > 1);
    const pi = await runPi(page);
    assert.ok(pi.threads > 1, `batches ran on ${pi.threads} thread(s)`);
  } finally {
    await site.close();
  }
});

test('without isolation at all the page says so and still computes π on one thread', async () => {
  const site = await serveDist({ isolated: false });
  try {
    // No headers and no service worker: nothing can make the page cross-origin isolated.
    const { page } = await openPage(browser, site.url, { serviceWorkers: 'block' });
    assert.equal(await valueOf(page, 'isolated'), 'false');
    assert.equal(await valueOf(page, 'workers'), '1');
    await page.getByTestId('single-thread-banner').waitFor();
    const pi = await runPi(page);
    assert.ok(Math.abs(pi.estimate - Math.PI) < 0.01, `π estimate ${pi.estimate}`);
    assert.equal(pi.threads, 1);
    await page.screenshot({ path: `${SCREENSHOTS}pi-single-thread.png`, fullPage: true });
  } finally {
    await site.close();
  }
});

test('without isolation at all the seeds\' as_completed loop and sleeping sweep run on the page\'s own thread', async () => {
  const site = await serveDist({ isolated: false });
  try {
    const { page } = await openPage(browser, site.url, { serviceWorkers: 'block' });
    assert.equal(await valueOf(page, 'workers'), '1');
    // Waits here run the tasks themselves and sleeps spin: the browser traps a blocking wait
    // on the page's thread, which would leave the cells running forever.
    for (const example of ['monte-carlo-pi', 'parallel-sweep']) {
      await page.locator('[data-testid="run-all"]:not([disabled])').waitFor({ timeout: 60_000 });
      await page.getByTestId('examples').selectOption(example);
      await page.locator('section.cell').first().waitFor();
      await page.getByTestId('run-all').click();
      await settle(page, 180_000);
      const failed = await page.locator('[data-testid="cell-error"]').allTextContents();
      assert.deepEqual(failed, [], `cells of ${example} failed`);
      const cells = await page.locator('section.cell.code').count();
      const counted = await page.locator('section.cell.code .count').allTextContents();
      assert.equal(counted.filter((c) => /^\[\d+\]$/.test(c)).length, cells, `every cell of ${example} ran`);
    }
  } finally {
    await site.close();
  }
});
