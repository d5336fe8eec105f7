// The π speed check as a benchmark (`cargo xtask bench-browser`): in the built site, the
// page's "π speed check" (100 M samples through the scheduler on every worker, then the same
// batches in a loop on one thread and on plain threads) is run several times; prints one
// JSON line with the median speed-up, the best times' ratio (as `skein bench` reports the
// same check run natively) and every run. Not a test: the speed-up is measured, not asserted.
import { execFileSync } from 'node:child_process';
import { serveDist, launchBrowser, openPage, valueOf } from './harness.mjs';

const RUNS = Number(process.env.SKEIN_BENCH_RUNS ?? 7);
// A native `skein` binary: when given, each browser run is followed by the same check run
// natively (`skein pi --speed-check 1`), so both meet the same moments of a shared machine.
const SKEIN_BIN = process.env.SKEIN_BIN;

/** One native run of the same check: its report, as the page's fields. */
function nativeRun() {
  const out = execFileSync(SKEIN_BIN, [
    'pi', '--speed-check', '1', '--batches', '100', '--per-batch', '1000000',
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [report] = JSON.parse(out).reports;
  return report;
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** CPU time of every browser process over a few seconds of an idle page, in percent of one
 * core: what the page takes from the workers when nothing happens. */
async function idleCpu(browser, page) {
  const cdp = await browser.newBrowserCDPSession();
  const cpuSeconds = async () => {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    return processInfo.reduce((sum, p) => sum + p.cpuTime, 0);
  };
  await page.waitForTimeout(2_000);
  const [before, start] = [await cpuSeconds(), Date.now()];
  await page.waitForTimeout(5_000);
  const used = (await cpuSeconds()) - before;
  await cdp.detach();
  return Math.round((1000 * 100 * used) / (Date.now() - start)) / 10;
}

/** Resolves when the π report is in the page. A MutationObserver wakes only when the page
 * changes, where Playwright's `waitFor` polls every animation frame: work on the page's
 * main thread during the very run it measures. */
const reportShown = (page) => page.evaluate(() => new Promise((resolve) => {
  const shown = () => document.querySelector('[data-testid="pi-estimate"]');
  if (shown()) return resolve();
  const observer = new MutationObserver(() => {
    if (shown()) {
      observer.disconnect();
      resolve();
    }
  });
  observer.observe(document.body, { childList: true, subtree: true });
}));

const browser = await launchBrowser();
const site = await serveDist({ isolated: true });
try {
  const { page } = await openPage(browser, site.url);
  const workers = Number(await valueOf(page, 'workers'));
  const idle = await idleCpu(browser, page);
  const runs = [];
  const native = [];
  for (let run = 0; run < RUNS; run += 1) {
    // A click clears the last report; the next one appears when the run is over.
    await page.locator('[data-testid="run-pi"]:not([disabled])').click();
    await page.getByTestId('pi-estimate').waitFor({ state: 'detached', timeout: 10_000 });
    await reportShown(page);
    const text = async (id) => page.getByTestId(id).textContent();
    runs.push({
      parallel_ms: parseFloat(await text('pi-parallel-ms')),
      single_ms: parseFloat(await text('pi-single-ms')),
      plain_threads_ms: parseFloat(await text('pi-plain-ms')),
      threads_used: Number(await text('pi-threads')),
      busy_percent: parseFloat(await text('pi-busy')),
      last_worker_joined_ms: parseFloat(
        await page.locator('.pi-result').getAttribute('data-last-worker-joined-ms'),
      ),
      tail_ms: parseFloat(await page.locator('.pi-result').getAttribute('data-tail-ms')),
      plain_last_joined_ms: parseFloat(
        await page.locator('.pi-result').getAttribute('data-plain-last-joined-ms'),
      ),
      batch: await text('pi-batch-ms'),
    });
    if (SKEIN_BIN) native.push(nativeRun());
  }
  const speedups = runs.map((r) => r.single_ms / r.parallel_ms);
  const least = (field, of = runs) => Math.min(...of.map((r) => r[field]));
  const round2 = (x) => Math.round(x * 100) / 100;
  console.log(JSON.stringify({
    bench: 'pi_speed_check_chromium',
    samples: 100_000_000,
    workers,
    idle_page_cpu_percent: idle,
    median_speedup: round2(median(speedups)),
    // As `skein bench` reports its runs: the best times' ratio, the least disturbed.
    best_speedup: round2(least('single_ms') / least('parallel_ms')),
    best_plain_threads_speedup: round2(least('single_ms') / least('plain_threads_ms')),
    median_parallel_ms: median(runs.map((r) => r.parallel_ms)),
    median_single_ms: median(runs.map((r) => r.single_ms)),
    median_plain_threads_speedup: Math.round(median(runs.map((r) => r.single_ms / r.plain_threads_ms)) * 100) / 100,
    median_busy_percent: median(runs.map((r) => r.busy_percent)),
    median_tail_ms: median(runs.map((r) => r.tail_ms)),
    median_last_worker_joined_ms: median(runs.map((r) => r.last_worker_joined_ms)),
    median_plain_last_joined_ms: median(runs.map((r) => r.plain_last_joined_ms)),
    native: SKEIN_BIN ? {
      median_speedup: round2(median(native.map((r) => r.single_ms / r.parallel_ms))),
      best_speedup: round2(least('single_ms', native) / least('parallel_ms', native)),
      median_plain_threads_speedup: round2(
        median(native.map((r) => r.single_ms / r.plain_threads_ms)),
      ),
      best_plain_threads_speedup: round2(
        least('single_ms', native) / least('plain_threads_ms', native),
      ),
      median_single_ms: median(native.map((r) => r.single_ms)),
      // The browser's median speed-up as a share of the native one, run by run side by side.
      browser_share_of_native_speedup: round2(
        median(speedups) / median(native.map((r) => r.single_ms / r.parallel_ms)),
      ),
    } : 'set SKEIN_BIN to a native skein to run the same check natively beside each run',
    runs,
  }));
} finally {
  await site.close();
  await browser.close();
}
