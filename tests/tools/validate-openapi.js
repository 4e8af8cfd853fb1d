#!/usr/bin/env node
// Checks `vigil serve`'s OpenAPI document and the answers a test recorded against it:
//  1. the document is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator, independent of us);
//  2. each recorded exchange (one JSON object per line: {"method", "route", "status", "body"},
//     route being the document's path template) is a documented operation and status, and its
//     body validates against that response's schema (ajv, JSON Schema 2020-12, formats on);
//  3. every operation of the document was exercised by at least one exchange.
// Usage: validate-openapi.js OPENAPI.json EXCHANGES.jsonl   exit 0 ok, 1 problems, 2 usage/setup.
'use strict';
const fs = require('fs');
const path = require('path');
const modules = process.env.VIGIL_NODE_MODULES;
const req = (name) => require(modules ? path.join(modules, name) : name);
let Validator, Ajv2020, addFormats;
try {
  Validator = req('@seriousme/openapi-schema-validator').Validator;
  Ajv2020 = req('ajv/dist/2020').default;
  addFormats = req('ajv-formats').default;
} catch (e) {
  console.error('validate-openapi: a validator is not installed (scripts/setup installs it): ' + e.message);
  process.exit(2);
}
const [docPath, exchangesPath] = process.argv.slice(2);
if (!docPath || !exchangesPath) {
  console.error('usage: validate-openapi.js OPENAPI.json EXCHANGES.jsonl');
  process.exit(2);
}

(async () => {
  const problems = [];
  const doc = JSON.parse(fs.readFileSync(docPath, 'utf8'));
  const v = new Validator();
  const res = await v.validate(doc);
  if (!res.valid) problems.push('not valid OpenAPI: ' + JSON.stringify(res.errors).slice(0, 2000));
  if (v.version !== '3.1') problems.push(`OpenAPI version ${v.version}, expected 3.1`);

  const ajv = new Ajv2020({strict: false, allErrors: true});
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi');  // responses refer to #/components/schemas/… inside it
  const seen = new Set();
  const lines = fs.readFileSync(exchangesPath, 'utf8').split('\n').filter((l) => l.trim());
  for (const line of lines) {
    const x = JSON.parse(line);
    const op = (doc.paths[x.route] || {})[x.method];
    const where = `${x.method.toUpperCase()} ${x.route} ${x.status}`;
    if (!op) { problems.push(`${where}: not in the document`); continue; }
    seen.add(`${x.method} ${x.route}`);
    const response = op.responses[String(x.status)];
    if (!response) { problems.push(`${where}: status not documented`); continue; }
    const schema = response.content && response.content['application/json'] &&
                   response.content['application/json'].schema;
    if (!schema) { problems.push(`${where}: no JSON schema documented`); continue; }
    const ptr = `#/paths/${x.route.replace(/~/g, '~0').replace(/\//g, '~1')}/${x.method}/responses/${x.status}/content/application~1json/schema`;
    const validate = ajv.getSchema('openapi' + ptr);
    if (!validate(x.body)) problems.push(`${where}: ${ajv.errorsText(validate.errors)}`);
  }
  for (const [route, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) {
      if (!seen.has(`${method} ${route}`)) problems.push(`${method.toUpperCase()} ${route}: never exercised`);
    }
  }
  for (const p of problems) console.error('validate-openapi: ' + p);
  console.log(`validate-openapi: ${lines.length} exchange(s), ${seen.size} operation(s), ${problems.length} problem(s)`);
  process.exit(problems.length ? 1 : 0);
})().catch((e) => { console.error('validate-openapi: ' + e.message); process.exit(2); });
