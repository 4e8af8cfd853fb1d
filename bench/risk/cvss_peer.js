// The npm side of bench_risk_cvss: scores every vector of FILE with ae-cvss-calculator, several
// times, and prints the median throughput in vectors per second (node start-up and reading the
// file not counted).  node cvss_peer.js FILE
'use strict';
const fs = require('fs');
const path = require('path');
const modules = process.env.VIGIL_NODE_MODULES;
const ae = require(require.resolve('ae-cvss-calculator', { paths: [modules] }));
const vectors = fs.readFileSync(process.argv[2], 'utf8').trimEnd().split('\n');
const rates = [];
let sink = 0;
for (let run = 0; run < 5; run++) {
  const start = process.hrtime.bigint();
  for (const v of vectors) sink += new ae.Cvss4P0(v).calculateScores().overall;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rates.push(vectors.length / seconds);
}
rates.sort((a, b) => a - b);
console.log(rates[2], sink > 0 ? '' : '(no scores)');
