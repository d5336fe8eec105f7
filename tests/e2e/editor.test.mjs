// The code editor as a Python user expects it: highlighting, long lines that scroll, Tab
// completion from the kernel, bracket matching, and an undo history that survives a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openNotebook, settle, SCREENSHOTS, withIsolatedSite } from './harness.mjs';

let browser;
let site;
withIsolatedSite((b, s) => {
  browser = b;
  site = s;
});

/** Adds a code cell at the end of the notebook and returns it with its textarea focused. */
async function newCell(page) {
  await page.locator('button.add-cell').click();
  const cell = page.locator('section.cell.code').last();
  const area = cell.locator('textarea.code');
  await area.click();
  return { cell, area };
}

/** Runs a cell with Ctrl+Enter and waits for the kernel to finish it. */
async function runCell(page, area) {
  await area.press('Control+Enter');
  await settle(page);
}

test('code is highlighted with Jupyter-like classes', async () => {
  const { page } = await openNotebook(browser, site.url);
  const { cell } = await newCell(page);
  await page.keyboard.type("def area(r):\n    return 3.14 * r * r  # circle\nlabel = 'disc'");
  const pre = cell.locator('pre.highlight');
  const texts = async (cls) => pre.locator(`.tok-${cls}`).allTextContents();
  assert.deepEqual(await texts('kw'), ['def', 'return']);
  assert.deepEqual(await texts('str'), ["'disc'"]);
  assert.deepEqual(await texts('com'), ['# circle']);
  assert.deepEqual(await texts('num'), ['3.14']);
  assert.deepEqual(await texts('def'), ['area']);
  // The copy under the textarea is the same text, so the caret sits on the right glyphs.
  assert.equal((await pre.textContent()).trimEnd(), await cell.locator('textarea.code').inputValue());
  await cell.screenshot({ path: `${SCREENSHOTS}editor-highlight.png` });
});

test('a long line scrolls sideways instead of wrapping', async () => {
  const { page } = await openNotebook(browser, site.url);
  const { cell, area } = await newCell(page);
  await area.fill(`x = '${'a'.repeat(300)}'`);
  const geometry = await area.evaluate((el) => {
    const before = { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, rows: el.rows };
    el.scrollLeft = 400;
    el.dispatchEvent(new Event('scroll'));
    return { ...before, scrolled: el.scrollLeft };
  });
  assert.ok(geometry.scrollWidth > geometry.clientWidth, JSON.stringify(geometry));
  assert.equal(geometry.rows, 1, 'one line, not wrapped');
  assert.ok(geometry.scrolled > 0);
  // The highlighted copy follows the scroll.
  const transform = await cell.locator('pre.highlight').evaluate((el) => el.style.transform);
  assert.match(transform, new RegExp(`translate\\(-${geometry.scrolled}px`));
  await cell.screenshot({ path: `${SCREENSHOTS}editor-long-line.png` });
});

test('Tab completes module attributes and globals from earlier cells, and indents', async () => {
  const { page } = await openNotebook(browser, site.url);
  const first = await newCell(page);
  await first.area.fill('import numpy as np\nvalue_of_total = 41');
  await runCell(page, first.area);
  const { cell, area } = await newCell(page);

  await page.keyboard.type('np.ar');
  await page.keyboard.press('Tab');
  const menu = cell.getByTestId('completions');
  await menu.waitFor({ timeout: 30_000 });
  const offered = await menu.locator('li').allTextContents();
  assert.ok(offered.includes('arange') && offered.includes('array'), offered.join(','));
  await cell.screenshot({ path: `${SCREENSHOTS}editor-completions.png` });
  await menu.locator('li', { hasText: /^arange$/ }).click();
  assert.equal(await area.inputValue(), 'np.arange');
  assert.equal(await menu.count(), 0);

  await page.keyboard.type('(3)\nvalue_of_t');
  await page.keyboard.press('Tab');
  await page.waitForFunction((el) => el.value.endsWith('value_of_total'), await area.elementHandle(), { timeout: 30_000 });
  assert.equal(await area.inputValue(), 'np.arange(3)\nvalue_of_total');

  // Escape closes a list; at the start of a line Tab indents.
  await page.keyboard.type('\nnp.ar');
  await page.keyboard.press('Tab');
  await menu.waitFor({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  assert.equal(await menu.count(), 0);
  await page.keyboard.type('\n');
  await page.keyboard.press('Tab');
  assert.ok((await area.inputValue()).endsWith('np.ar\n    '));
  await cell.screenshot({ path: `${SCREENSHOTS}editor-completed.png` });
});

test('the bracket beside the caret and its partner are marked', async () => {
  const { page } = await openNotebook(browser, site.url);
  const { cell } = await newCell(page);
  const code = 'print((1 + 2) * 3)';
  await page.keyboard.type(code);
  const marked = cell.locator('pre.highlight .bracket-match');
  // Where each mark sits in the text.
  const offsets = () => marked.evaluateAll((els) => els.map((el) => {
    const range = document.createRange();
    range.setStart(el.closest('pre'), 0);
    range.setEnd(el, 0);
    return range.toString().length;
  }));
  await page.keyboard.press('End');
  assert.deepEqual(await offsets(), [5, code.length - 1], 'after the last closer');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await marked.count(), 0, 'no bracket beside "3"');
  await page.keyboard.press('Home');
  for (let i = 0; i < 'print('.length + 1; i += 1) await page.keyboard.press('ArrowRight');
  assert.deepEqual(await offsets(), [6, 12], 'after "print((": the inner pair');
  await cell.screenshot({ path: `${SCREENSHOTS}editor-brackets.png` });
});

test('Ctrl+Z after running a cell undoes the last edit', async () => {
  const { page } = await openNotebook(browser, site.url);
  const { cell, area } = await newCell(page);
  await page.keyboard.type('first_value = 1');
  await page.keyboard.press('Enter');
  await page.keyboard.type('second_value = 2');
  const full = await area.inputValue();
  await runCell(page, area);
  assert.match(await cell.locator('.count').textContent(), /^\[\d+\]$/);
  await area.press('Control+z');
  const undone = await area.inputValue();
  assert.notEqual(undone, full);
  assert.ok(full.startsWith(undone), `${JSON.stringify(undone)} is an earlier text`);
  await area.press('Control+Shift+z');
  assert.equal(await area.inputValue(), full);
  await cell.screenshot({ path: `${SCREENSHOTS}editor-undo.png` });
});
