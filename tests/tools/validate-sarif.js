#!/usr/bin/env node
// Validates SARIF logs against the official SARIF 2.1.0 JSON schema (draft-04) that the npm
// package @microsoft/jest-sarif ships, with the ajv 6 that package itself depends on (ajv 8
// no longer reads draft-04 schemas).
// Usage: validate-sarif.js LOG...   exit 0 valid, 1 invalid, 2 usage/setup.
'use strict';
const fs = require('fs');
const path = require('path');
const modules = process.env.VIGIL_NODE_MODULES || '';
let Ajv, schema, draft4;
try {
  const pkg = path.join(modules, '@microsoft/jest-sarif');
  schema = require(path.join(pkg, 'lib/schemas/sarif-2.1.0-rtm.5.json'));
  Ajv = require(require.resolve('ajv', {paths: [pkg]}));
  draft4 = require(require.resolve('ajv/lib/refs/json-schema-draft-04.json', {paths: [pkg]}));
} catch (e) {
  console.error('validate-sarif: @microsoft/jest-sarif is not installed (scripts/setup installs it): ' + e.message);
  process.exit(2);
}
const logs = process.argv.slice(2);
if (logs.length === 0) {
  console.error('usage: validate-sarif.js LOG...');
  process.exit(2);
}
const ajv = new Ajv({allErrors: true, schemaId: 'id', unknownFormats: 'ignore'});
ajv.addMetaSchema(draft4);
const validate = ajv.compile(schema);
let bad = 0;
for (const f of logs) {
  if (!validate(JSON.parse(fs.readFileSync(f, 'utf8')))) {
    bad++;
    for (const e of validate.errors.slice(0, 5)) console.log(`${f}: ${e.dataPath || '/'} ${e.message}`);
  }
}
process.exit(bad ? 1 : 0);
