// Plots as matplotlib draws them: the seed's kinds of plot (an image with a colour bar, a
// histogram, a line plot, lines with a legend) drawn by Skein in Chromium and by real matplotlib (the Dask venv's),
// with the same tick texts, put side by side in one screenshot per plot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  serveDist, launchBrowser, openNotebook, runCell, canvasHasInk, SCREENSHOTS,
} from './harness.mjs';

const PYTHON = process.env.SKEIN_DASK_PYTHON
  ?? join(process.env.HOME, '.cache/skein-tools/dask-venv/bin/python');
const EXAMPLES = new URL('../../web/examples/', import.meta.url).pathname;

/** Each cell runs unchanged in Skein and under CPython; the data are the seed's kinds. */
const PLOTS = {
  'traffic-imshow': [
    'import numpy as np',
    'import matplotlib.pyplot as plt',
    "traffic = np.load('data/traffic.npy')",
    'plt.imshow(traffic)',
    'plt.colorbar()',
  ],
  'response-hist': [
    'import matplotlib.pyplot as plt',
    'times = [((i * 7919) % 1000) / 37.0 + (i % 13) for i in range(1600)]',
    'plt.hist(times, bins=30)',
    "plt.title('Response times, all zones')",
    "plt.xlabel('minutes')",
    "plt.ylabel('fires')",
  ],
  'two-lines-legend': [
    'import matplotlib.pyplot as plt',
    'xs = list(range(20))',
    "plt.plot(xs, [x * x for x in xs], label='squares')",
    "plt.plot(xs, [20 * x for x in xs], label='twenty times')",
    'plt.legend()',
    "plt.xlabel('x')",
  ],
  'sweep-line': [
    'import matplotlib.pyplot as plt',
    'xs = [i / 10 for i in range(100)]',
    'plt.plot(xs, [x * x * 1500 - 3 * x for x in xs])',
    "plt.title('A parameter sweep')",
  ],
};

let browser;
let site;
let scratch;
before(async () => {
  browser = await launchBrowser();
  site = await serveDist({ isolated: true });
  scratch = mkdtempSync(join(tmpdir(), 'skein-plots-'));
});
after(async () => {
  await site?.close();
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The cell drawn by matplotlib (Agg, its default 6.4 × 4.8 in at 100 dpi): a PNG and the
 * tick texts within the axes' limits, as `ticks.py` reads them. */
function matplotlib(name, lines) {
  const png = join(scratch, `${name}.png`);
  const script = [
    'import json, matplotlib',
    "matplotlib.use('Agg')",
    'import matplotlib.transforms as mtransforms',
    ...lines,
    'fig = plt.gcf(); ax = fig.axes[0]; fig.canvas.draw()',
    'def shown(axis, lo, hi):',
    '    pairs = sorted(zip(axis.get_majorticklocs(), axis.get_major_ticks()), key=lambda p: p[0])',
    '    return [t.label1.get_text() for loc, t in pairs if mtransforms._interval_contains_close((min(lo, hi), max(lo, hi)), loc)]',
    `fig.savefig(${JSON.stringify(png)}, dpi=100)`,
    'bar = fig.axes[1] if len(fig.axes) > 1 else None',
    'c = shown(bar.yaxis, *bar.get_ylim()) if bar else None',
    'print(json.dumps({"x": shown(ax.xaxis, *ax.get_xlim()), "y": shown(ax.yaxis, *ax.get_ylim()), "c": c}))',
  ].join('\n');
  const out = execFileSync(PYTHON, ['-c', script], { cwd: EXAMPLES, encoding: 'utf8' });
  return { png: readFileSync(png), ticks: JSON.parse(out.trim().split('\n').pop()) };
}

test('plots look as matplotlib draws them, tick for tick (side-by-side screenshots)', async () => {
  const { page, errors } = await openNotebook(browser, site.url);
  for (const [name, lines] of Object.entries(PLOTS)) {
    const cell = await runCell(page, lines.join('\n'));
    const plot = cell.getByTestId('plot');
    await plot.waitFor();
    assert.ok(await canvasHasInk(plot), `${name} is drawn`);
    const skein = {
      x: JSON.parse(await plot.getAttribute('data-xticks')),
      y: JSON.parse(await plot.getAttribute('data-yticks')),
      c: JSON.parse(await plot.getAttribute('data-colorbar-ticks') ?? 'null'),
    };
    const reference = matplotlib(name, lines);
    assert.deepEqual(skein, reference.ticks, `${name}: Skein's tick texts are matplotlib's`);

    const drawn = await plot.evaluate((canvas) => canvas.toDataURL('image/png'));
    const side = await browser.newPage({ viewport: { width: 1320, height: 540 } });
    await side.setContent(`<body style="margin:10px;font:14px system-ui;display:flex;gap:20px">
      <figure style="margin:0"><figcaption>Skein (Chromium)</figcaption><img src="${drawn}"></figure>
      <figure style="margin:0"><figcaption>matplotlib ${name}</figcaption>
        <img src="data:image/png;base64,${reference.png.toString('base64')}"></figure></body>`);
    await side.screenshot({ path: `${SCREENSHOTS}plot-${name}-beside-matplotlib.png` });
    await side.close();
  }
  assert.deepEqual(errors, []);
});
