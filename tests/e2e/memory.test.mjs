// Memory in a long session (issue 20): twenty cells each rebind `r` to the gathered results of
// a 100,000-task map. The kernel releases what no variable holds after each cell, so the
// page's memory after the twentieth is within 1.5x of what it was after the second (before,
// every future was kept and the page crashed on the twelfth).
//
// What is measured: the wasm module's shared memory (`WebAssembly.Memory`), which the
// engine, the interpreter and every task result live in. It only ever grows, so its size is
// the session's peak so far; the init script below records every Memory the page makes or
// instantiates, since the page does not expose the module. `measureUserAgentSpecificMemory`
// (cross-origin isolated pages only) is logged beside it when the browser offers it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openNotebook, runCell, withIsolatedSite } from './harness.mjs';

let browser;
let site;
withIsolatedSite((b, s) => {
  browser = b;
  site = s;
});

/** Records the page's wasm memories in `window.__skeinMemories` (runs before any script). */
function recordWasmMemories() {
  window.__skeinMemories = [];
  const remember = (m) => {
    if (m instanceof WebAssembly.Memory && !window.__skeinMemories.includes(m)) {
      window.__skeinMemories.push(m);
    }
  };
  const Memory = WebAssembly.Memory;
  WebAssembly.Memory = function (descriptor) {
    const m = new Memory(descriptor);
    remember(m);
    return m;
  };
  WebAssembly.Memory.prototype = Memory.prototype;
  const fromInstance = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result?.instance;
    for (const value of Object.values(instance?.exports ?? {})) remember(value);
    return result;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (original) {
      WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(fromInstance);
    }
  }
}

/** The bytes of the largest wasm memory the page has (shared memories read their current
 * length through a fresh `buffer`). */
async function wasmBytes(page) {
  return page.evaluate(() => Math.max(0, ...window.__skeinMemories.map((m) => m.buffer.byteLength)));
}

/** The browser's own measurement of the page, when it offers one (may take seconds). */
async function userAgentBytes(page) {
  return page.evaluate(async () => {
    if (!self.crossOriginIsolated || !performance.measureUserAgentSpecificMemory) return null;
    try {
      return (await performance.measureUserAgentSpecificMemory()).bytes;
    } catch {
      return null;
    }
  });
}

test('twenty 100,000-task maps rebound to one variable keep memory within 1.5x of two', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(recordWasmMemories);
  const { page, errors } = await openNotebook(context, site.url);
  let crashed = false;
  page.on('crash', () => { crashed = true; });
  await runCell(page, 'from dask.distributed import Client\nclient = Client()\ndef inc(x):\n    return x + 1\n', 60_000);
  assert.ok((await wasmBytes(page)) > 0, 'the page\'s wasm memory was found');
  const map = 'r = client.gather(client.map(inc, list(range(100000)), pure=False))';
  const sizes = [];
  let afterSecond = null;
  for (let i = 1; i <= 20; i += 1) {
    const started = Date.now();
    await runCell(page, map, 600_000);
    assert.ok(!crashed, `the page crashed on map ${i}`);
    sizes.push(await wasmBytes(page));
    console.log(`map ${i}: ${Date.now() - started} ms, wasm memory ${(sizes.at(-1) / 2 ** 20).toFixed(0)} MiB`);
    if (i === 2) afterSecond = { wasm: sizes.at(-1), agent: await userAgentBytes(page) };
  }
  const last = await runCell(page, 'r[-1]', 60_000);
  assert.equal(await last.locator('pre.out.value').textContent(), '100000');
  const agent = await userAgentBytes(page);
  console.log(
    `wasm memory after map 2: ${afterSecond.wasm} B, after map 20: ${sizes.at(-1)} B; `
      + `measureUserAgentSpecificMemory: ${afterSecond.agent} B then ${agent} B`,
  );
  assert.ok(
    sizes.at(-1) <= 1.5 * afterSecond.wasm,
    `wasm memory grew from ${afterSecond.wasm} B after the second map to ${sizes.at(-1)} B`,
  );
  if (afterSecond.agent && agent) {
    assert.ok(agent <= 1.5 * afterSecond.agent, `the page's memory grew from ${afterSecond.agent} B to ${agent} B`);
  }
  assert.deepEqual(errors, [], 'no page errors');
  await context.close();
});
