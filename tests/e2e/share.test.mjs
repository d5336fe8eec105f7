// Markdown as Jupyter renders it (inline HTML, sanitised) and notebooks shared as links: the
// link carries the sources in its fragment, opens beside the user's own notebook, never over it,
// and runs to the same outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openNotebook, openExample, runAll, values, SCREENSHOTS, withIsolatedSite,
} from './harness.mjs';

let browser;
let site;
withIsolatedSite((b, s) => {
  browser = b;
  site = s;
});

/** The page's values with each task key's token blanked: `dask.delayed` calls are impure by
 * default, so as in Dask their keys are new random tokens in every session. */
async function keylessValues(page) {
  return (await values(page)).map((text) => text.replace(/-[0-9a-f]{32}\b/g, '-<token>'));
}

async function firstCodeSource(page) {
  return page.locator('section.cell.code textarea').first().inputValue();
}

test('markdown renders inline HTML, sanitised, and a missing image shows its alt text', async () => {
  const { page, errors } = await openNotebook(browser, site.url);
  await page.locator('button.add-cell').click();
  const cell = page.locator('section.cell').last();
  await cell.locator('textarea').fill([
    '## Inline HTML',
    '',
    "<img src='images/city.png' width=600 alt='A city street grid'>",
    '',
    'Some <b>bold</b> and <sub>sub</sub>script. <span onclick="window.__pwned = 1">click</span>',
    '',
    '<script>window.__pwned = 2</script><img src="nowhere.png" onerror="window.__pwned = 3">',
    '',
    '<a href="javascript:window.__pwned = 4">a trap</a> and [Dask](https://docs.dask.org)',
  ].join('\n'));
  // A cell turned into text renders at once; double-click edits it, Ctrl+Enter renders again.
  await cell.locator('button[title="Code / text"]').click();
  const rendered = cell.locator('.markdown');
  await rendered.locator('b').waitFor();
  await rendered.dblclick();
  await cell.locator('textarea').press('Control+Enter');
  await rendered.locator('b').waitFor();
  assert.equal(await rendered.locator('b').textContent(), 'bold');
  assert.equal(await rendered.locator('sub').textContent(), 'sub');
  const text = await rendered.textContent();
  assert.ok(!text.includes('<img') && !text.includes('<b>'), `no raw HTML shows: ${text}`);
  // The image is not beside the page: its alt text shows in its place; one without alt goes.
  await rendered.locator('.alt-text').waitFor();
  assert.equal(await rendered.locator('.alt-text').textContent(), 'A city street grid');
  await page.waitForFunction(() => document.querySelectorAll('.markdown img').length === 0);
  const html = await rendered.innerHTML();
  for (const bad of ['<script', 'onclick', 'onerror', 'javascript:']) {
    assert.ok(!html.includes(bad), `${bad} was removed: ${html}`);
  }
  await rendered.locator('span', { hasText: 'click' }).click();
  await rendered.locator('a', { hasText: 'a trap' }).click();
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no injected code ran');
  assert.equal(
    await rendered.locator('a', { hasText: 'Dask' }).getAttribute('target'), '_blank',
  );
  await cell.screenshot({ path: `${SCREENSHOTS}markdown-inline-html.png` });
  assert.deepEqual(errors.filter((e) => !e.includes('404')), []);

  // The seed notebook's own images render as images or their absence, never as text.
  await openExample(page, 'parallelizing-your-own-python-algorithms');
  const markdownText = (await page.locator('.markdown').allTextContents()).join('\n');
  assert.ok(markdownText.length > 1000, 'the seed has its explanations');
  assert.ok(!markdownText.includes("<img src='images"), 'the seed shows no raw <img>');
  await page.screenshot({ path: `${SCREENSHOTS}markdown-seed.png` });
});

test('a shared link opens beside the own notebook, never over it, and runs the same', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    // The sharer: an example with an edited first code cell, run once.
    const sharer = (await openNotebook(context, site.url)).page;
    await openExample(sharer, 'delayed-basics');
    const first = sharer.locator('section.cell.code textarea').first();
    const shared = `${await first.inputValue()}\nshared_marker = "as shared"`;
    await first.fill(shared);
    await runAll(sharer);
    const expected = await keylessValues(sharer);
    assert.ok(expected.includes('81'), `the example ran: ${expected}`);
    await sharer.getByTestId('share').click();
    const link = await sharer.getByTestId('share-link').inputValue();
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#notebook1=[A-Za-z0-9_-]+$/);
    assert.ok(!link.includes('81'), 'outputs are not in the link');
    await sharer.getByTestId('share-panel').screenshot({ path: `${SCREENSHOTS}share-panel.png` });
    // The sharer goes on editing their own notebook after sharing.
    await first.fill('own_marker = "edited after sharing"');
    await sharer.waitForTimeout(300); // the autosave effect runs a moment after an edit

    // The recipient, in the same browser: the link's notebook, with the banner.
    const recipient = (await openNotebook(context, link)).page;
    await recipient.getByTestId('link-banner').waitFor();
    assert.equal(await firstCodeSource(recipient), shared);
    assert.equal(await recipient.locator('input.title').inputValue(), await sharer.locator('input.title').inputValue());
    assert.equal(await recipient.locator('pre.out.value').count(), 0, 'the link carries no outputs');
    await runAll(recipient);
    assert.deepEqual(await keylessValues(recipient), expected, 'the same outputs as the sharer saw');
    await recipient.locator('section.cell.code textarea').nth(1).fill('edited_in_the_linked_copy = 1');
    await recipient.waitForTimeout(300);
    await recipient.screenshot({ path: `${SCREENSHOTS}share-opened.png`, fullPage: true });

    // The own notebook was not overwritten by opening or editing the linked one.
    const fresh = (await openNotebook(context, site.url)).page;
    assert.equal(await firstCodeSource(fresh), 'own_marker = "edited after sharing"');
    assert.equal(await fresh.getByTestId('link-banner').count(), 0);
    // And the banner leads back to it.
    await recipient.getByTestId('back-to-own').click();
    await recipient.getByTestId('link-banner').waitFor({ state: 'detached' });
    assert.equal(await firstCodeSource(recipient), 'own_marker = "edited after sharing"');
    assert.ok(!recipient.url().includes('#'), `the fragment is gone: ${recipient.url()}`);
  } finally {
    await context.close();
  }
});

test('a notebook too large for a link says so, and a damaged link says why', async () => {
  const { page } = await openNotebook(browser, site.url);
  await page.locator('button.add-cell').click();
  // About 200 KB of incompressible text.
  const noise = await page.evaluate(() => {
    let s = 0x2545f491;
    let out = '';
    for (let i = 0; i < 200_000; i += 1) {
      s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
      out += String.fromCharCode(33 + ((s >>> 0) % 90));
    }
    return out;
  });
  await page.locator('section.cell.code textarea').last().fill(`noise = ${JSON.stringify(noise)}`);
  await page.getByTestId('share').click();
  const error = await page.getByTestId('share-error').textContent();
  assert.match(error, /too large for a link \(\d+ KB compressed; a link holds 64 KB\)/);
  assert.equal(await page.getByTestId('share-link').count(), 0);

  const damaged = (await openNotebook(browser, `${site.url}#notebook1=not-a-notebook`)).page;
  assert.match(await damaged.getByTestId('share-error').textContent(), /the link's notebook cannot be read: not base64url/);
  assert.equal(await damaged.getByTestId('link-banner').count(), 0, 'the own notebook is open');
  assert.ok(!damaged.url().includes('#'), 'the damaged fragment is dropped');
  await damaged.close();
});
