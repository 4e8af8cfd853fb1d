#!/usr/bin/env node
// Validates CSAF 2.0 documents with the BSI/Secvisogram reference validator
// (@secvisogram/csaf-validator-lib): the strict CSAF 2.0 JSON schema and every mandatory test
// of section 6.1, which include the VEX profile's tests (6.1.27.x) for csaf_vex documents.
// With --optional it also runs the optional tests of section 6.2 and reports each warning as
// "DOCUMENT: optional: TEST: PATH MESSAGE" and a summary line naming the tests that warned;
// warnings are advice, never a failure (the exit code depends on the mandatory tests only),
// except for the optional tests named by --clean=NAME[,NAME] (e.g. --clean=optionalTest_6_2_3,
// which implies --optional): a warning of one of those fails the document. --clean may also name
// informative tests of section 6.3 (e.g. informativeTest_6_3_4, a vulnerability without CWE):
// those are run and any note of theirs fails the document (only the named ones run: some of the
// others resolve URLs over the network).
// Usage: validate-csaf.mjs [--optional] [--clean=TESTS] DOCUMENT...
// exit 0 valid, 1 invalid, 2 usage/setup.
import fs from 'fs';
import path from 'path';
import {pathToFileURL} from 'url';

const modules = process.env.VIGIL_NODE_MODULES || '';
const lib = path.join(modules, '@secvisogram/csaf-validator-lib');
let validate, schemaTests, mandatoryTests, optionalTests, informativeTests;
try {
  validate = (await import(pathToFileURL(path.join(lib, 'validate.js')))).default;
  schemaTests = await import(pathToFileURL(path.join(lib, 'schemaTests.js')));
  mandatoryTests = await import(pathToFileURL(path.join(lib, 'mandatoryTests.js')));
  optionalTests = await import(pathToFileURL(path.join(lib, 'optionalTests.js')));
  informativeTests = await import(pathToFileURL(path.join(lib, 'informativeTests.js')));
} catch (e) {
  console.error('validate-csaf: @secvisogram/csaf-validator-lib is not installed (scripts/setup installs it): ' + e.message);
  process.exit(2);
}
const args = process.argv.slice(2);
const clean = new Set(args.filter((a) => a.startsWith('--clean=')).flatMap((a) => a.slice(8).split(',')));
const informatives = Object.values(informativeTests).filter((t) => clean.has(t.name));
const optional = args.includes('--optional') || clean.size > informatives.length;
const docs = args.filter((a) => a !== '--optional' && !a.startsWith('--clean='));
if (docs.length === 0) {
  console.error('usage: validate-csaf.mjs [--optional] DOCUMENT...');
  process.exit(2);
}
const tests = [schemaTests.csaf_2_0_strict, ...Object.values(mandatoryTests)];
const optionals = optional ? Object.values(optionalTests) : [];
for (const name of clean) {
  if (!optionals.some((t) => t.name === name) && !informatives.some((t) => t.name === name)) {
    console.error(`validate-csaf: --clean: no optional or informative test named ${name}`);
    process.exit(2);
  }
}
let bad = 0;
const warned = new Set();
for (const d of docs) {
  const doc = JSON.parse(fs.readFileSync(d, 'utf8'));
  const result = await validate(tests, doc);
  let unclean = false;
  for (const t of (await validate(optionals, doc)).tests.filter((t) => t.warnings.length > 0)) {
    warned.add(t.name);
    unclean ||= clean.has(t.name);
    for (const w of t.warnings) console.log(`${d}: optional: ${t.name}: ${w.instancePath} ${w.message}`);
  }
  for (const t of (await validate(informatives, doc)).tests.filter((t) => t.infos.length > 0)) {
    unclean = true;
    for (const i of t.infos) console.log(`${d}: informative: ${t.name}: ${i.instancePath} ${i.message}`);
  }
  if (unclean) console.log(`${d}: a test named by --clean warned`);
  if (!result.isValid || unclean) {
    bad++;
    for (const t of result.tests.filter((t) => !t.isValid)) {
      for (const e of t.errors.slice(0, 3)) console.log(`${d}: ${t.name}: ${e.instancePath} ${e.message}`);
    }
  }
}
console.log(`validate-csaf: ${docs.length - bad} valid, ${bad} invalid (${tests.length} tests each)`);
if (optional) {
  const names = [...warned].join(', ') || 'none';
  console.log(`validate-csaf: optional tests: ${warned.size} of ${optionals.length} warned (${names})`);
}
process.exit(bad ? 1 : 0);
