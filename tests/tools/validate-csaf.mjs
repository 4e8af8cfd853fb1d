#!/usr/bin/env node
// Validates CSAF 2.0 documents with the BSI/Secvisogram reference validator
// (@secvisogram/csaf-validator-lib): the strict CSAF 2.0 JSON schema and every mandatory test
// of section 6.1, which include the VEX profile's tests (6.1.27.x) for csaf_vex documents.
// Usage: validate-csaf.mjs DOCUMENT...   exit 0 valid, 1 invalid, 2 usage/setup.
import fs from 'fs';
import path from 'path';
import {pathToFileURL} from 'url';

const modules = process.env.VIGIL_NODE_MODULES || '';
const lib = path.join(modules, '@secvisogram/csaf-validator-lib');
let validate, schemaTests, mandatoryTests;
try {
  validate = (await import(pathToFileURL(path.join(lib, 'validate.js')))).default;
  schemaTests = await import(pathToFileURL(path.join(lib, 'schemaTests.js')));
  mandatoryTests = await import(pathToFileURL(path.join(lib, 'mandatoryTests.js')));
} catch (e) {
  console.error('validate-csaf: @secvisogram/csaf-validator-lib is not installed (scripts/setup installs it): ' + e.message);
  process.exit(2);
}
const docs = process.argv.slice(2);
if (docs.length === 0) {
  console.error('usage: validate-csaf.mjs DOCUMENT...');
  process.exit(2);
}
const tests = [schemaTests.csaf_2_0_strict, ...Object.values(mandatoryTests)];
let bad = 0;
for (const d of docs) {
  const result = await validate(tests, JSON.parse(fs.readFileSync(d, 'utf8')));
  if (!result.isValid) {
    bad++;
    for (const t of result.tests.filter((t) => !t.isValid)) {
      for (const e of t.errors.slice(0, 3)) console.log(`${d}: ${t.name}: ${e.instancePath} ${e.message}`);
    }
  }
}
console.log(`validate-csaf: ${docs.length - bad} valid, ${bad} invalid (${tests.length} tests each)`);
process.exit(bad ? 1 : 0);
