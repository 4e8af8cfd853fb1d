// Opens the premarket package in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core from build/node) and checks that it renders: every architecture view is an
// <svg> with a non-zero size, every table has rows and a non-zero size, clicking a header sorts
// the rows, typing in a filter hides the rows that do not match, and nothing is fetched from the
// network. Saves a full-page screenshot. Usage: node browser_check.js PACKAGE.html SCREENSHOT.png
// (NODE_PATH or VIGIL_NODE_MODULES names the node_modules holding playwright-core). Exit 0 when
// every check passes; a missing chromium or playwright-core is a failure, never a skip.
'use strict';
const path = require('path');
const fs = require('fs');
const modules = process.env.VIGIL_NODE_MODULES;
const { chromium } = require(modules ? path.join(modules, 'playwright-core') : 'playwright-core');

const [html, screenshot] = process.argv.slice(2);
let failed = 0;
function check(ok, what) {
  if (ok) { console.log('ok   ' + what); } else { failed++; console.log('FAIL ' + what); }
}

(async () => {
  const profile = fs.mkdtempSync(path.join(require('os').tmpdir(), 'vigil-chromium-'));
  // A fresh profile (--user-data-dir, which playwright takes as launchPersistentContext's first
  // argument) so nothing of another run is reused.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = browser.pages()[0] || await browser.newPage();
    const fetched = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      fetched.push(url);
      return route.abort();
    });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto('file://' + path.resolve(html));

    const views = await page.$$eval('figure.view', (figs) => figs.map((f) => {
      const svg = f.querySelector('svg');
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      return { id: f.id, w: box.width, h: box.height, nodes: svg ? svg.querySelectorAll('g.node').length : 0 };
    }));
    check(views.length >= 4, `${views.length} architecture views (global, multi-patient, update, use cases)`);
    for (const v of views) check(v.w > 0 && v.h > 0 && v.nodes > 0, `${v.id} drawn ${Math.round(v.w)}x${Math.round(v.h)} with ${v.nodes} nodes`);

    const tables = await page.$$eval('table.data', (ts) => ts.map((t) => {
      const box = t.getBoundingClientRect();
      return { id: t.id, rows: t.tBodies[0].rows.length, w: box.width, h: box.height };
    }));
    for (const id of ['findings', 'controls', 'traceability', 'coverage', 'sbom', 'labeling', 'mds2']) {
      const t = tables.find((x) => x.id === id);
      check(t && t.rows > 0 && t.w > 0 && t.h > 0, `table ${id} rendered` + (t ? ` (${t.rows} rows, ${Math.round(t.w)}x${Math.round(t.h)})` : ''));
    }

    // Sorting: click the "finding" header of the findings table twice (ascending, descending).
    const column = async (id, i) => page.$$eval(`#${id} tbody tr`, (rows, i) => rows.map((r) => r.cells[i].textContent.trim()), i);
    const header = page.locator('#findings thead th', { hasText: /^finding$/ });
    await header.click();
    let ids = await column('findings', 0);
    const ascending = [...ids].sort((a, b) => a.localeCompare(b));
    check(JSON.stringify(ids) === JSON.stringify(ascending), 'clicking "finding" sorts ascending');
    await header.click();
    ids = await column('findings', 0);
    check(JSON.stringify(ids) === JSON.stringify([...ascending].reverse()), 'clicking again sorts descending');
    // A numeric column sorts as numbers.
    await page.locator('#findings thead th', { hasText: /^pre$/ }).click();
    const pre = (await column('findings', 6)).map(Number);
    check(pre.every((v, i) => i === 0 || pre[i - 1] <= v), 'the "pre" column sorts numerically');

    // Filtering: only rows holding the word stay visible, the count says so.
    const total = (await column('coverage', 0)).length;
    await page.fill('#coverage-filter', 'fda-premarket-appendix-1');
    const visible = await page.$$eval('#coverage tbody tr', (rows) => rows.filter((r) => !r.hidden).map((r) => r.cells[0].textContent.trim()));
    check(visible.length === 10 && visible.every((v) => v === 'fda-premarket-appendix-1') && visible.length < total,
          `filtering coverage for fda-premarket-appendix-1 leaves its ${visible.length} of ${total} rows`);
    const count = await page.textContent('#coverage-count');
    check(count === `${visible.length} of ${total} rows`, `the filter count says "${count}"`);
    await page.fill('#coverage-filter', '');

    check(fetched.length === 0, 'nothing fetched from the network' + (fetched.length ? ': ' + fetched.join(', ') : ''));
    check(errors.length === 0, 'no script errors' + (errors.length ? ': ' + errors.join('; ') : ''));
    await page.emulateMedia({ media: 'print' });
    const filterShown = await page.$eval('#coverage-filter', (e) => getComputedStyle(e).display !== 'none');
    check(!filterShown, 'the print stylesheet hides the filter boxes');
    await page.emulateMedia({ media: 'screen' });
    await page.screenshot({ path: screenshot, fullPage: true });
    check(fs.statSync(screenshot).size > 10000, `screenshot saved to ${screenshot}`);
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(failed ? `browser: ${failed} checks failed` : 'browser: every check passed');
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log('FAIL ' + (e && e.stack || e)); process.exit(1); });
