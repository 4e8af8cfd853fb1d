// tuf-js (npm, the TUF client npm and sigstore-js use) as an independent client of repositories
// built by `vigil repo`. Installed by scripts/setup under build/node; VIGIL_NODE_MODULES points
// there.
//
//   node tuf_js_client.js refresh  METADATA_DIR METADATA_URL
//       refresh; prints "root vN"; the directory must hold the trusted root.json
//   node tuf_js_client.js download METADATA_DIR METADATA_URL TARGETS_URL TARGET_DIR TARGET
//       refresh, then download and verify TARGET into TARGET_DIR; prints its local path
//   node tuf_js_client.js bench    ROOT_JSON METADATA_URL RUNS TARGET...
//       RUNS cold refreshes (fresh metadata dir holding only ROOT_JSON) each followed by
//       getTargetInfo of every TARGET (loads the delegated roles); prints one JSON line
//       {"ms": [per-run milliseconds]}
// Exit codes: 0 ok; 1 the client refused the repository (the error is printed); 2 usage.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const modules = process.env.VIGIL_NODE_MODULES;
const { Updater } = require(modules ? path.join(modules, 'tuf-js') : 'tuf-js');

function updater(metadataDir, metadataUrl, targetsUrl, targetDir) {
  return new Updater({
    metadataDir,
    metadataBaseUrl: metadataUrl,
    targetBaseUrl: targetsUrl,
    targetDir,
    config: { fetchRetries: 0 },
  });
}

function rootVersion(metadataDir) {
  return JSON.parse(fs.readFileSync(path.join(metadataDir, 'root.json'))).signed.version;
}

async function refresh([dir, url]) {
  await updater(dir, url).refresh();
  console.log(`root v${rootVersion(dir)}`);
}

async function download([dir, url, targetsUrl, targetDir, target]) {
  const u = updater(dir, url, targetsUrl, targetDir);
  await u.refresh();
  const info = await u.getTargetInfo(target);
  if (!info) throw new Error(`${target}: no trusted targets role lists this target`);
  fs.mkdirSync(targetDir, { recursive: true });
  const local = path.join(targetDir, encodeURIComponent(target));
  console.log(await u.downloadTarget(info, local));
}

async function bench([rootJson, url, runs, ...targets]) {
  const ms = [];
  for (let i = 0; i < Number(runs); i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-tufjs-'));
    fs.copyFileSync(rootJson, path.join(dir, 'root.json'));
    const start = process.hrtime.bigint();
    const u = updater(dir, url);
    await u.refresh();
    for (const t of targets) {
      if (!(await u.getTargetInfo(t))) throw new Error(`${t}: not found`);
    }
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ ms }));
}

const commands = { refresh, download, bench };
const [command, ...args] = process.argv.slice(2);
if (!commands[command]) {
  console.error('usage: tuf_js_client.js refresh|download|bench ...');
  process.exit(2);
}
commands[command](args).catch((e) => {
  console.error(`tuf-js: ${e.constructor.name}: ${e.message}`);
  process.exit(1);
});
