#!/usr/bin/env node
// Validates SARIF logs as a code-scanning service would: against the official SARIF 2.1.0 JSON
// schema (the copy @microsoft/sarif-multitool-linux ships, JSON Schema 2020-12, checked with
// ajv 8 and ajv-formats, so a URI with a space fails `uri-reference`), then with Microsoft's
// SARIF Multitool (`sarif-multitool validate`, the SDK's own rules: SARIF1004 relative URIs
// with uriBaseId, SARIF2005 informationUri, SARIF2017 regions, …). Schema errors and Multitool
// errors fail a log; Multitool warnings are printed, and fail it only for the rules named by
// --clean=RULE[,RULE] (e.g. --clean=SARIF2005).
// Usage: validate-sarif.js [--clean=RULES] LOG...   exit 0 valid, 1 invalid, 2 usage/setup.
'use strict';
const fs = require('fs');
const path = require('path');
const {execFileSync} = require('child_process');
const modules = process.env.VIGIL_NODE_MODULES || '';
let Ajv2020, addFormats, schema, multitool;
try {
  Ajv2020 = require(path.join(modules, 'ajv/dist/2020')).default;
  addFormats = require(path.join(modules, 'ajv-formats')).default;
  schema = require(path.join(modules, '@microsoft/sarif-multitool-linux/sarif-2.1.0.json'));
  multitool = require.resolve(path.join(modules, '@microsoft/sarif-multitool/bin.js'));
} catch (e) {
  console.error('validate-sarif: @microsoft/sarif-multitool or ajv is not installed (scripts/setup installs them): ' + e.message);
  process.exit(2);
}
const args = process.argv.slice(2);
const clean = new Set(args.filter((a) => a.startsWith('--clean=')).flatMap((a) => a.slice(8).split(',')));
const logs = args.filter((a) => !a.startsWith('--clean='));
if (logs.length === 0) {
  console.error('usage: validate-sarif.js [--clean=RULES] LOG...');
  process.exit(2);
}
const ajv = new Ajv2020({allErrors: true, strict: false});
addFormats(ajv);
const validate = ajv.compile(schema);
const bad = new Set();
for (const f of logs) {
  if (!validate(JSON.parse(fs.readFileSync(f, 'utf8')))) {
    bad.add(f);
    for (const e of validate.errors.slice(0, 5)) console.log(`${f}: schema: ${e.instancePath || '/'} ${e.message}`);
  }
}
// The Multitool exits 0 whatever it finds; its findings are lines "FILE(line,col): LEVEL RULE: text".
let out;
try {
  out = execFileSync('node', [multitool, 'validate', ...logs.map((f) => path.resolve(f))],
                     {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
} catch (e) {
  console.error('validate-sarif: sarif-multitool failed: ' + (e.stderr || e.message));
  process.exit(2);
}
if (!/Analysis completed successfully/.test(out)) {
  console.error('validate-sarif: sarif-multitool did not complete:\n' + out);
  process.exit(2);
}
for (const line of out.split('\n')) {
  const m = /^(.*)\(\d+,\d+\): (error|warning|note) (SARIF\d+): /.exec(line);
  if (!m) continue;
  const f = logs.find((l) => path.resolve(l) === m[1]) || m[1];
  console.log(line.replace(m[1], f));
  if (m[2] === 'error' || (m[2] === 'warning' && clean.has(m[3]))) bad.add(f);
}
console.log(`validate-sarif: ${logs.length - bad.size} valid, ${bad.size} invalid`);
process.exit(bad.size ? 1 : 0);
