// Shared pieces of the end-to-end tests: a static server for the built site (with or
// without the cross-origin isolation headers) and Debian's headless Chromium.
import { before, after } from 'node:test';
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const DIST = process.env.SKEIN_DIST ?? new URL('../../dist', import.meta.url).pathname;
export const SCREENSHOTS = new URL('./screenshots/', import.meta.url).pathname;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The hooks most test files share: one Chromium and the isolated site for the whole file,
 * handed to `ready(browser, site)` before the first test and closed after the last.
 */
export function withIsolatedSite(ready) {
  let browser;
  let site;
  before(async () => {
    browser = await launchBrowser();
    site = await serveDist({ isolated: true });
    ready(browser, site);
  });
  after(async () => {
    await site?.close();
    await browser?.close();
  });
}

/** Serves dist/ on a free loopback port; `isolated` decides whether COOP/COEP are sent. */
export async function serveDist({ isolated }) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(DIST, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        ...(isolated ? ISOLATION : {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** Debian's Chromium, headless, with the flags this closed network needs (Playwright gives
 * each launch a fresh profile). */
export async function launchBrowser() {
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
      '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens a page and records console errors and page crashes so tests can assert on them. */
export async function openPage(browser, url, { serviceWorkers = 'allow' } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, serviceWorkers });
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  await page.goto(url);
  return { page, errors };
}

/** The `data-value` of a `data-testid` element, once it has one. */
export async function valueOf(page, testid, timeout = 60_000) {
  const el = page.locator(`[data-testid="${testid}"][data-value]`);
  await el.waitFor({ timeout });
  return el.getAttribute('data-value');
}

/** Opens the site and waits until the kernel is up (the Run all button is enabled). */
export async function openNotebook(browser, url) {
  const opened = await openPage(browser, url);
  try {
    await opened.page.locator('[data-testid="run-all"]:not([disabled])').waitFor({ timeout: 60_000 });
  } catch (timeout) {
    const status = await opened.page.getByTestId('workers').textContent().catch(() => '?');
    throw new Error(`the kernel did not start (workers: ${status}; page errors: ${opened.errors.join(' | ') || 'none'})`, { cause: timeout });
  }
  return opened;
}

/** Clicks Run all and waits until no code cell is queued or running. */
export async function runAll(page, timeout = 240_000) {
  await page.getByTestId('run-all').click();
  await settle(page, timeout);
}

/** Waits until every code cell has run (has an execution count) or the run stopped. */
export async function settle(page, timeout = 240_000) {
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('section.cell.code')];
    const busy = cells.some((c) => ['queued', 'running'].includes(c.dataset.state));
    return !busy;
  }, null, { timeout, polling: 200 });
}

/** The texts of every value output on the page. */
export async function values(page) {
  return page.locator('pre.out.value').allTextContents();
}

/** Whether a canvas has any pixel that is not plain white or transparent. */
export async function canvasHasInk(locator) {
  return locator.evaluate((canvas) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a > 0 && (r < 240 || g < 240 || b < 240)) return true;
    }
    return false;
  });
}

/** Opens one of the example notebooks from the menu. */
export async function openExample(page, id) {
  await page.getByTestId('examples').selectOption(id);
  await page.locator('section.cell').first().waitFor();
}

/** Adds a code cell at the end holding `source`, and returns it. */
export async function newCell(page, source) {
  await page.locator('button.add-cell').click();
  const id = await page.locator('section.cell.code').last().getAttribute('data-cell');
  const cell = page.locator(`section.cell[data-cell="${id}"]`);
  await cell.locator('textarea').fill(source);
  return cell;
}

/** Adds a code cell holding `source`, runs it, and returns it; throws if it failed. */
export async function runCell(page, source, timeout) {
  const cell = await newCell(page, source);
  await cell.getByTestId('run-cell').click();
  await settle(page, timeout);
  const failed = await cell.getByTestId('cell-error').allTextContents();
  if (failed.length > 0) throw new Error(`the cell failed: ${source}\n${failed.join('\n')}`);
  return cell;
}
