// Loaded with `node --require` before a built bundle: records the version of the Node.js
// process it runs in, for the test that ran it (local-pipeline/emulator/node-runtimes.ts).
if (process.env.REPORT_NODE_VERSION_TO)
  require('node:fs').writeFileSync(process.env.REPORT_NODE_VERSION_TO, process.version);
