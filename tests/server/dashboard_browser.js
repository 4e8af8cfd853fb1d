// Drives the dashboard of a running `vigil serve` in headless Chromium (Debian's /usr/bin/chromium,
// playwright-core from build/node): a read-only operator sees no triage form and is refused a
// decision; an analyst logs in, filters the exposure by site, records a triage decision and sees
// the counts and the chart change; the session cookie is HttpOnly, Secure and SameSite=Strict;
// every page carries the Content-Security-Policy and breaks none of it; forms from another origin
// or without the CSRF token are refused; logout ends the session on the server; axe-core finds no
// serious or critical violation on any page. Saves a screenshot of the exposure page.
// Usage: node dashboard_browser.js BASE_URL ANALYST_TOKEN VIEWER_TOKEN SCREENSHOT.png
// (VIGIL_NODE_MODULES names the node_modules holding playwright-core and axe-core). Exit 0 when
// every check passes; a missing chromium, playwright-core or axe-core is a failure.
'use strict';
const path = require('path');
const fs = require('fs');
const modules = process.env.VIGIL_NODE_MODULES || '';
const {chromium} = require(path.join(modules, 'playwright-core'));
const axeSource = fs.readFileSync(path.join(modules, 'axe-core', 'axe.min.js'), 'utf8');

const [base, analystToken, viewerToken, screenshot] = process.argv.slice(2);
const origin = new URL(base).origin;
let failed = 0;
function check(ok, what) {
  if (ok) {
    console.log('ok   ' + what);
  } else {
    failed++;
    console.log('FAIL ' + what);
  }
}

async function open(browser) {
  const ctx =
      await browser.newContext({ignoreHTTPSErrors: true, viewport: {width: 1300, height: 900}});
  const page = await ctx.newPage();
  page.cspViolations = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) page.cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => page.cspViolations.push(String(e)));
  return {ctx, page};
}

async function login(page, token) {
  await page.goto(base + 'login');
  await page.fill('#token', token);
  await Promise.all([page.waitForNavigation(), page.click('#login-form button')]);
}

async function axeCheck(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {resultTypes: ['violations']}));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(
      bad.length === 0,
      `axe-core on ${name}: no serious or critical violation` +
          (bad.length ? ': ' +
                   bad.map(
                          (v) =>
                              `${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target).join(' ')}`)
                       .join('; ') :
                        ''));
}

const cells = (page, table, i) => page.$$eval(
    `#${table} tbody tr`, (rows, i) => rows.map((r) => r.cells[i].textContent.trim()), i);
const number = async (page, id) => Number(await page.textContent('#' + id));
const chartSum = (page, id) => page.$$eval(
    `#${id} rect[data-value]`, (rs) => rs.reduce((s, r) => s + Number(r.dataset.value), 0));
const chartLabels = (page, id) =>
    page.$$eval(`#${id} g.bar`, (gs) => gs.map((g) => g.dataset.label));

async function asViewer(browser) {
  const {ctx, page} = await open(browser);
  await page.goto(base + 'exposure');
  check(new URL(page.url()).pathname === '/login', 'without a session a page redirects to /login');
  await axeCheck(page, 'the login page');
  await page.fill(
      '#token',
      'vgt_' +
          'A'.repeat(43));
  const [bad] = await Promise.all([page.waitForNavigation(), page.click('#login-form button')]);
  check(
      bad.status() === 401 && (await page.textContent('.error')).includes('not valid'),
      'a wrong token is refused (401)');
  await login(page, viewerToken);
  check(
      (await page.textContent('#viewer')).includes('ops.viewer (read-only)'),
      'the read-only operator is logged in');
  await page.goto(base + 'exposure');
  await Promise.all([page.waitForNavigation(), page.click('#exposure tbody tr:first-child a')]);
  check(new URL(page.url()).pathname === '/finding', 'the read-only operator opens a finding');
  check((await page.$('#triage-form')) === null, 'a read-only operator sees no triage form');
  const form = {
    csrf: 'none',
    product: 'Infusion pump',
    vulnerability: 'x',
    component: 'y',
    status: 'in_triage',
    reason: 'r'
  };
  const denied =
      await page.request.post(base + 'finding', {form, headers: {Origin: origin}, maxRedirects: 0});
  check(denied.status() === 403, `a read-only operator's decision is refused (${denied.status()})`);
  check(
      page.cspViolations.length === 0,
      'no Content-Security-Policy violation (read-only)' + page.cspViolations.join('; '));
  await ctx.close();
}

async function filterBySite(page, site) {
  await page.goto(base + 'exposure');
  await page.selectOption('#site', site);
  await Promise.all([page.waitForNavigation(), page.click('form.filter button')]);
  const sites = await cells(page, 'exposure', 4);
  check(
      new URL(page.url()).searchParams.get('site') === site && sites.length > 0 &&
          sites.every((s) => s === site),
      `filtering by site ${site} leaves only its ${sites.length} rows`);
  check(
      JSON.stringify(await chartLabels(page, 'exposure-chart')) === JSON.stringify([site]),
      `the chart shows only ${site}`);
  return {
    rows: sites.length,
    devices: await number(page, 'exposed-devices'),
    findings: await chartSum(page, 'findings-chart')
  };
}

async function decide(page) {
  const [vuln, component] =
      [(await cells(page, 'exposure', 1))[0], (await cells(page, 'exposure', 2))[0]];
  await Promise.all([page.waitForNavigation(), page.click('#exposure tbody tr:first-child a')]);
  check(
      (await page.$('#triage-form')) !== null,
      `the analyst sees the triage form of ${vuln} in ${component}`);
  const history = (await cells(page, 'finding-history', 0)).length;
  // Forms that are not this session's own are refused and change nothing.
  const fields = await page.$$eval(
      '#triage-form input[type=hidden]',
      (is) => Object.fromEntries(is.map((i) => [i.name, i.value])));
  const form = {
    ...fields,
    status: 'not_affected',
    justification: 'vulnerable_code_not_in_execute_path',
    reason: 'forged'
  };
  const evil = await page.request.post(
      base + 'finding', {form, headers: {Origin: 'https://evil.example'}, maxRedirects: 0});
  check(evil.status() === 403, `a form from another origin is refused (${evil.status()})`);
  const noToken = await page.request.post(
      base + 'finding',
      {form: {...form, csrf: 'x'.repeat(43)}, headers: {Origin: origin}, maxRedirects: 0});
  check(
      noToken.status() === 403,
      `a form without the session's CSRF token is refused (${noToken.status()})`);
  await page.reload();
  check(
      (await cells(page, 'finding-history', 0)).length === history,
      'the refused forms changed nothing');

  await page.selectOption('#status', 'not_affected');
  await page.selectOption('#justification', 'vulnerable_code_not_in_execute_path');
  await page.fill('#reason', 'the vulnerable function is never called (dashboard test)');
  await Promise.all([page.waitForNavigation(), page.click('#triage-form button')]);
  check((await page.textContent('.notice')) === 'Decision recorded.', 'the decision is recorded');
  const by = await cells(page, 'finding-history', 4);
  const status = await cells(page, 'finding-history', 3);
  check(
      by[by.length - 1] === 'ops.analyst' && status[status.length - 1] === 'not_affected',
      'the history shows not_affected by ops.analyst');
  await axeCheck(page, 'the finding page');
  return vuln;
}

async function asAnalyst(browser) {
  const {ctx, page} = await open(browser);
  await login(page, analystToken);
  check(new URL(page.url()).pathname === '/portfolio', 'logging in leads to the portfolio');
  const cookie = (await ctx.cookies()).find((c) => c.name === 'vigil_session');
  check(
      cookie && cookie.httpOnly && cookie.secure && cookie.sameSite === 'Strict' &&
          cookie.value.length === 43,
      'the session cookie is HttpOnly, Secure, SameSite=Strict with a 256-bit id');
  check(
      !(await page.evaluate(() => document.cookie)).includes('vigil_session'),
      'scripts cannot read the session cookie');
  check(
      (await cells(page, 'portfolio', 1)).join(' ') === '1.0 1.1' &&
          (await cells(page, 'portfolio', 3)).join(' ') === '3 1',
      'the portfolio lists releases 1.0 (3 devices) and 1.1 (1 device)');
  check((await cells(page, 'devices', 0)).length === 4, 'the portfolio lists the 4 devices');
  await axeCheck(page, 'the portfolio');

  const response = await page.goto(base + 'exposure');
  const csp = response.headers()['content-security-policy'] || '';
  check(
      csp.includes('default-src \'none\'') && !csp.includes('unsafe'),
      'pages carry a strict Content-Security-Policy');
  const risks =
      await page.$$eval('#exposure tbody tr td:first-child span', (s) => s.map((x) => x.className));
  check(
      risks.length > 0 &&
          risks.every(
              (r, i) => i === 0 || !(r === 'uncontrolled' && risks[i - 1] === 'controlled')),
      `the ${risks.length} exposure rows list uncontrolled risks first`);
  const allSites = await chartLabels(page, 'exposure-chart');
  check(
      allSites.join(',') === 'ICU,Ward 3',
      `the unfiltered chart shows the exposed sites (${allSites})`);
  await axeCheck(page, 'the exposure page');

  const before = await filterBySite(page, 'ICU');
  check(before.devices === 2, `2 devices exposed at ICU (${before.devices})`);
  await decide(page);
  const after = await filterBySite(page, 'ICU');
  check(
      after.rows === before.rows - 1,
      `the open findings at ICU went from ${before.rows} to ${after.rows}`);
  check(
      after.findings === before.findings - 1,
      `the findings chart went from ${before.findings} to ${after.findings}`);

  await page.goto(base + 'deadlines');
  check((await cells(page, 'deadlines', 3)).length > 0, 'the deadline clocks list due dates');
  await axeCheck(page, 'the deadlines page');
  await page.goto(base + 'metrics');
  check(
      (await chartSum(page, 'metrics-chart-0')) > 0,
      'the metrics chart counts this month\'s findings');
  await axeCheck(page, 'the metrics page');
  await page.goto(base + 'device?serial=SN-1');
  check(
      (await cells(page, 'checkins', 6)).join() === 'accepted',
      'the device page shows SN-1\'s accepted check-in');
  await axeCheck(page, 'the device page');

  await page.goto(base + 'exposure');
  await page.screenshot({path: screenshot, fullPage: true});
  check(fs.statSync(screenshot).size > 10000, `screenshot saved to ${screenshot}`);
  check(
      page.cspViolations.length === 0,
      'no Content-Security-Policy violation (analyst)' + page.cspViolations.join('; '));

  const evilLogin = await page.request.post(
      base + 'login',
      {form: {token: analystToken}, headers: {Origin: 'https://evil.example'}, maxRedirects: 0});
  check(
      evilLogin.status() === 403,
      `a login form from another origin is refused (${evilLogin.status()})`);
  await Promise.all([page.waitForNavigation(), page.click('form.logout button')]);
  check(new URL(page.url()).pathname === '/login', 'logging out returns to /login');
  await ctx.addCookies([{...cookie}]);  // the old cookie replayed
  await page.goto(base + 'portfolio');
  check(new URL(page.url()).pathname === '/login', 'the ended session is refused on the server');
  await ctx.close();
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'
    ],
  });
  try {
    await asViewer(browser);
    await asAnalyst(browser);
  } finally {
    await browser.close();
  }
  console.log(failed ? `dashboard: ${failed} checks failed` : 'dashboard: every check passed');
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.log('FAIL ' + (e && e.stack || e));
  process.exit(1);
});
