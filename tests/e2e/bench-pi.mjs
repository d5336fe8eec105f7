// The π speed check as a benchmark (`cargo xtask bench-browser`): in the built site, the
// page's "π speed check" (100 M samples through the scheduler on every worker, then the same
// batches in a loop on one thread) is run several times; prints one JSON line with the median
// speed-up and every run. Not a test: the speed-up is measured, not asserted.
import { serveDist, launchBrowser, openPage, valueOf } from './harness.mjs';

const RUNS = Number(process.env.SKEIN_BENCH_RUNS ?? 7);

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

const browser = await launchBrowser();
const site = await serveDist({ isolated: true });
try {
  const { page } = await openPage(browser, site.url);
  const workers = Number(await valueOf(page, 'workers'));
  const idle = await idleCpu(browser, page);
  const runs = [];
  for (let run = 0; run < RUNS; run += 1) {
    // A click clears the last report; the next one appears when the run is over.
    await page.locator('[data-testid="run-pi"]:not([disabled])').click();
    await page.getByTestId('pi-estimate').waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByTestId('pi-estimate').waitFor({ timeout: 300_000 });
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
    });
  }
  const speedups = runs.map((r) => r.single_ms / r.parallel_ms);
  console.log(JSON.stringify({
    bench: 'pi_speed_check_chromium',
    samples: 100_000_000,
    workers,
    idle_page_cpu_percent: idle,
    median_speedup: Math.round(median(speedups) * 100) / 100,
    median_parallel_ms: median(runs.map((r) => r.parallel_ms)),
    median_single_ms: median(runs.map((r) => r.single_ms)),
    median_plain_threads_speedup: Math.round(median(runs.map((r) => r.single_ms / r.plain_threads_ms)) * 100) / 100,
    median_busy_percent: median(runs.map((r) => r.busy_percent)),
    runs,
  }));
} finally {
  await site.close();
  await browser.close();
}
