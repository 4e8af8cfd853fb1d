#!/usr/bin/env node
// Validates JSON documents against a JSON Schema (draft-07 or 2020-12) with ajv, loading every
// *.schema.json beside the main schema so $refs between them resolve (CycloneDX refers to
// spdx.schema.json and jsf-0.82.schema.json).
// Usage: validate-json-schema.js SCHEMA DOCUMENT...   exit 0 valid, 1 invalid, 2 usage/setup.
'use strict';
const fs = require('fs');
const path = require('path');
const modules = process.env.VIGIL_NODE_MODULES;
const req = (name) => require(modules ? path.join(modules, name) : name);
let Ajv, Ajv2020, addFormats;
try {
  Ajv = req('ajv').default;
  Ajv2020 = req('ajv/dist/2020').default;
  addFormats = req('ajv-formats').default;
} catch (e) {
  console.error('validate-json-schema: ajv is not installed (scripts/setup installs it): ' + e.message);
  process.exit(2);
}
const [schemaPath, ...docs] = process.argv.slice(2);
if (!schemaPath || docs.length === 0) {
  console.error('usage: validate-json-schema.js SCHEMA DOCUMENT...');
  process.exit(2);
}
const main = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
const is2020 = String(main.$schema || '').includes('2020-12');
const ajv = new (is2020 ? Ajv2020 : Ajv)({strict: false, allErrors: true, validateFormats: true});
addFormats(ajv);
for (const f of fs.readdirSync(path.dirname(schemaPath))) {
  if (!f.endsWith('.schema.json') || path.join(path.dirname(schemaPath), f) === schemaPath) continue;
  const s = JSON.parse(fs.readFileSync(path.join(path.dirname(schemaPath), f), 'utf8'));
  try { ajv.addSchema(s, f); } catch (e) { /* a sibling of another draft: not referenced */ }
}
const validate = ajv.compile(main);
let bad = 0;
for (const d of docs) {
  const doc = JSON.parse(fs.readFileSync(d, 'utf8'));
  if (!validate(doc)) {
    bad++;
    for (const e of validate.errors.slice(0, 5)) console.log(`${d}: ${e.instancePath || '/'} ${e.message}`);
  }
}
process.exit(bad ? 1 : 0);
