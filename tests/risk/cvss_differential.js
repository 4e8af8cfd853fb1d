// Differential test of Vigil's CVSS scores against independent implementations from npm:
// ae-cvss-calculator for CVSS 4.0 and 3.1, @pandatix/js-cvss for CVSS 2.0. For v2 neither peer
// is right everywhere: ae-cvss-calculator's environmental score leaves out the guide's rounding
// of the adjusted base and temporal scores; @pandatix/js-cvss follows the guide's equations but
// weighs a High security requirement (CR/IR/AR:H) 0.51 instead of the guide's 1.51. So v2
// environmental scores with a High requirement are not compared here (they are counted, and
// the guide's own worked examples, which use AR:H, are checked in src/risk/cvss_test.cc). Draws random vectors across every
// metric group from a seeded generator, scores them with the peer, runs `cvss_batch` on the same
// vectors, and counts disagreements on every score and on the severity.
//   node cvss_differential.js CVSS_BATCH NODE_MODULES SEED V4_COUNT V3_COUNT V2_COUNT
'use strict';
const { execFileSync } = require('child_process');
const [batch, modules, seedText, v4n, v3n, v2n] = process.argv.slice(2);
const path = require('path');
const { register } = require('node:module');
const { pathToFileURL } = require('node:url');
const ae = require(require.resolve('ae-cvss-calculator', { paths: [modules] }));
register(pathToFileURL(path.join(__dirname, 'esm_extension_hook.mjs')));

// mulberry32: a small seeded generator, so a failure can be replayed.
let seed = Number(seedText) >>> 0;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

// Metrics in specification order: [name, values, mandatory].
const V4 = [
  ['AV', 'NALP', 1], ['AC', 'LH', 1], ['AT', 'NP', 1], ['PR', 'NLH', 1], ['UI', 'NPA', 1],
  ['VC', 'HLN', 1], ['VI', 'HLN', 1], ['VA', 'HLN', 1], ['SC', 'HLN', 1], ['SI', 'HLN', 1],
  ['SA', 'HLN', 1], ['E', 'XAPU'], ['CR', 'XHML'], ['IR', 'XHML'], ['AR', 'XHML'],
  ['MAV', 'XNALP'], ['MAC', 'XLH'], ['MAT', 'XNP'], ['MPR', 'XNLH'], ['MUI', 'XNPA'],
  ['MVC', 'XHLN'], ['MVI', 'XHLN'], ['MVA', 'XHLN'], ['MSC', 'XHLN'], ['MSI', 'XSHLN'],
  ['MSA', 'XSHLN'], ['S', 'XNP'], ['AU', 'XNY'], ['R', 'XAUI'], ['V', 'XDC'], ['RE', 'XLMH'],
  ['U', ['X', 'Clear', 'Green', 'Amber', 'Red']],
];
const V3 = [
  ['AV', 'NALP', 1], ['AC', 'LH', 1], ['PR', 'NLH', 1], ['UI', 'NR', 1], ['S', 'UC', 1],
  ['C', 'HLN', 1], ['I', 'HLN', 1], ['A', 'HLN', 1], ['E', 'XHFPU'], ['RL', 'XUWTO'],
  ['RC', 'XCRU'], ['CR', 'XHML'], ['IR', 'XHML'], ['AR', 'XHML'], ['MAV', 'XNALP'],
  ['MAC', 'XLH'], ['MPR', 'XNLH'], ['MUI', 'XNR'], ['MS', 'XUC'], ['MC', 'XHLN'],
  ['MI', 'XHLN'], ['MA', 'XHLN'],
];
const V2_BASE = [['AV', 'LAN'], ['AC', 'HML'], ['Au', 'MSN'], ['C', 'NPC'], ['I', 'NPC'],
                 ['A', 'NPC']];
const V2_TEMPORAL = [['E', ['U', 'POC', 'F', 'H', 'ND']], ['RL', ['OF', 'TF', 'W', 'U', 'ND']],
                     ['RC', ['UC', 'UR', 'C', 'ND']]];
const V2_ENVIRONMENTAL = [['CDP', ['N', 'L', 'LM', 'MH', 'H', 'ND']],
                          ['TD', ['N', 'L', 'M', 'H', 'ND']], ['CR', ['L', 'M', 'H', 'ND']],
                          ['IR', ['L', 'M', 'H', 'ND']], ['AR', ['L', 'M', 'H', 'ND']]];

// A random v2 vector: the base group, then each of the temporal and environmental groups whole
// or not at all (the v2 guide's vector form, which @pandatix/js-cvss requires).
function vector2() {
  const parts = [];
  const group = (metrics) => metrics.forEach(([n, values]) => parts.push(n + ':' + pick(Array.from(values))));
  group(V2_BASE);
  if (random() < 0.5) group(V2_TEMPORAL);
  if (random() < 0.5) group(V2_ENVIRONMENTAL);
  return parts.join('/');
}

// A random vector: every mandatory metric, each optional one with probability `p` (half the
// vectors carry only base metrics, so CVSS-B and the base-only paths are drawn often too).
function vector(prefix, metrics) {
  const p = random() < 0.5 ? 0 : random();
  const parts = [];
  for (const [name, values, mandatory] of metrics) {
    if (mandatory || random() < p) parts.push(name + ':' + pick(Array.from(values)));
  }
  return prefix + parts.join('/');
}

function severity(version, score) {
  if (version === 2) return score < 4 ? 'low' : score < 7 ? 'medium' : 'high';
  if (score === 0) return 'none';
  return score < 4 ? 'low' : score < 7 ? 'medium' : score < 9 ? 'high' : 'critical';
}
const one = (v) => (v === undefined ? undefined : v.toFixed(1));

function run(label, version, cls, prefix, metrics, count) {
  const vectors = [];
  for (let i = 0; i < count; i++) vectors.push(vector(prefix, metrics));
  const ours = execFileSync(batch, { input: vectors.join('\n') + '\n', maxBuffer: 1 << 28 })
                   .toString().trimEnd().split('\n');
  let disagreements = 0;
  vectors.forEach((v, i) => {
    const s = new cls(v).calculateScores();
    const [base, temporal, env, overall, sev] = ours[i].split('\t');
    const problems = [];
    if (base === 'error') problems.push('refused: ' + temporal);
    const theirBase = version === 4 ? one(s.overall) : one(s.base);
    if (base !== theirBase) problems.push(`base ${base} vs ${theirBase}`);
    if (version !== 4 && s.temporal !== undefined && temporal !== one(s.temporal)) {
      problems.push(`temporal ${temporal} vs ${one(s.temporal)}`);
    }
    if (version !== 4 && s.environmental !== undefined && env !== one(s.environmental)) {
      problems.push(`environmental ${env} vs ${one(s.environmental)}`);
    }
    if (overall !== one(s.overall)) problems.push(`score ${overall} vs ${one(s.overall)}`);
    if (sev !== severity(version, s.overall)) problems.push(`severity ${sev} vs ${severity(version, s.overall)}`);
    if (problems.length > 0 && ++disagreements <= 10) console.log(`${label} ${v}: ${problems.join('; ')}`);
  });
  console.log(`${label}: ${count} random vectors, ${disagreements} disagreements`);
  return disagreements;
}

// CVSS 2.0 against @pandatix/js-cvss. A group counts as given when one of its metrics is not
// ND; the score that rates the vector is then its environmental, else temporal, else base score.
function run2(pandatix, count) {
  const vectors = [];
  for (let i = 0; i < count; i++) vectors.push(vector2());
  const ours = execFileSync(batch, { input: vectors.join('\n') + '\n', maxBuffer: 1 << 28 })
                   .toString().trimEnd().split('\n');
  const defined = (v, names) => names.some(([n]) => new RegExp('(^|/)' + n + ':(?!ND(/|$))').test(v));
  let disagreements = 0, uncomparable = 0;
  vectors.forEach((v, i) => {
    const s = new pandatix.CVSS20(v);
    const [base, temporal, env, overall, sev] = ours[i].split('\t');
    const problems = [];
    if (base === 'error') problems.push('refused: ' + temporal);
    const has_t = defined(v, V2_TEMPORAL), has_e = defined(v, V2_ENVIRONMENTAL);
    const b = s.BaseScore(), t = s.TemporalScore(), e = s.EnvironmentalScore();
    if (base !== one(b)) problems.push(`base ${base} vs ${one(b)}`);
    if (has_t && temporal !== one(t)) problems.push(`temporal ${temporal} vs ${one(t)}`);
    if (!has_t && temporal !== '-') problems.push(`temporal ${temporal} without temporal metrics`);
    const high_requirement = /(^|\/)(CR|IR|AR):H(\/|$)/.test(v);
    if (high_requirement && has_e) ++uncomparable;
    if (has_e && !high_requirement && env !== one(e)) problems.push(`environmental ${env} vs ${one(e)}`);
    if (!has_e && env !== '-') problems.push(`environmental ${env} without environmental metrics`);
    const want = has_e ? (high_requirement ? Number(env) : e) : has_t ? t : b;
    if (overall !== one(want)) problems.push(`score ${overall} vs ${one(want)}`);
    if (sev !== severity(2, Number(overall))) problems.push(`severity ${sev} of ${overall}`);
    if (problems.length > 0 && ++disagreements <= 10) console.log(`CVSS 2.0 ${v}: ${problems.join('; ')}`);
  });
  console.log(`CVSS 2.0: ${count} random vectors, ${disagreements} disagreements ` +
              `(${uncomparable} environmental scores with a High requirement not compared)`);
  return disagreements;
}

(async () => {
  const pandatix = await import(pathToFileURL(
      require.resolve('@pandatix/js-cvss/dist/index.js', { paths: [modules] })).href);
  let total = 0;
  total += run('CVSS 4.0', 4, ae.Cvss4P0, 'CVSS:4.0/', V4, Number(v4n));
  total += run('CVSS 3.1', 3, ae.Cvss3P1, 'CVSS:3.1/', V3, Number(v3n));
  total += run2(pandatix, Number(v2n));
  process.exit(total === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
