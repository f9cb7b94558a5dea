// The JavaScript side of run_code: a persistent Node process holding one vm context, so globals
// (var, function, and top-level let/const across cells, like successive <script> tags) survive
// between calls.  Requests arrive as JSON lines on the fd given as argv[2], answers go to argv[3].
// User output goes to the real stdout/stderr; after each cell a sentinel is written to both so
// the agent can cut the streams per cell (pipe writes are synchronous on Linux, so it is ordered).
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const util = require('util');
const vm = require('vm');
const Module = require('module');

const REQ_FD = Number(process.argv[2]);
const RESP_FD = Number(process.argv[3]);
const SENTINEL = '\u0000\u001eAGB-END\u001e\u0000';
const home = process.env.HOME || process.cwd();
const userRequire = Module.createRequire(path.join(home, '__agb_cell__.js'));

const userModule = { exports: {} };
const sandbox = {
  console, require: userRequire, process, Buffer, module: userModule, exports: userModule.exports,
  __filename: path.join(home, '__agb_cell__.js'), __dirname: home,
  setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate, queueMicrotask,
  URL, URLSearchParams, TextEncoder, TextDecoder, AbortController, structuredClone,
  fetch: globalThis.fetch, performance: globalThis.performance,
};
const context = vm.createContext(sandbox);
vm.runInContext('globalThis.global = globalThis;', context);

// Errors from callbacks that outlive their cell must not kill the runner.
process.on('uncaughtException', (e) => { process.stderr.write(`Uncaught ${describe(e).traceback}\n`); });
process.on('unhandledRejection', (e) => { process.stderr.write(`Unhandled rejection: ${describe(e).traceback}\n`); });

function describe(e) {
  if (e && typeof e === 'object' && 'message' in e) {
    const name = String(e.name || 'Error');
    // Drop the frames of this runner (vm, execute, ...): users care about their cell only.
    const stack = String(e.stack || `${name}: ${e.message}`).split('\n');
    const cut = stack.findIndex((line) => /node:vm|node_runner\.js/.test(line));
    return { name, value: String(e.message), traceback: (cut > 0 ? stack.slice(0, cut) : stack).join('\n') };
  }
  const shown = util.inspect(e);
  return { name: 'Error', value: `Uncaught ${shown}`, traceback: `Uncaught ${shown}` };
}

function withTimeout(promise, ms) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'AGB_TIMEOUT' })), Math.max(ms, 1));
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

let executionCount = 0;

async function execute(req) {
  executionCount += 1;
  const started = Date.now();
  const reply = { id: req.id, execution_count: executionCount, results: [], error: null, timed_out: false };
  const filename = `<cell ${executionCount}>`;
  try {
    let script;
    try {
      script = new vm.Script(req.code, { filename });
    } catch (e) {
      // Top-level await is not valid in a classic script: run the cell as an async function
      // body instead (its let/const then stay local to the cell).
      if (!(e && e.name === 'SyntaxError' && /await/.test(String(e.message)))) throw e;
      script = new vm.Script(`(async () => {\n${req.code}\n})()`, { filename });
    }
    let value = script.runInContext(context, { timeout: req.timeout_ms, displayErrors: false });
    if (value && typeof value.then === 'function') {
      value = await withTimeout(value, req.timeout_ms - (Date.now() - started));
    }
    if (value !== undefined) {
      reply.results.push({ 'text/plain': util.inspect(value, { depth: 6, maxArrayLength: 1000, breakLength: 100 }), isMainResult: true });
    }
  } catch (e) {
    if (e && (e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT' || e.code === 'AGB_TIMEOUT')) {
      reply.timed_out = true;
    } else {
      reply.error = describe(e);
    }
  }
  reply.execution_time = (Date.now() - started) / 1000;
  fs.writeSync(1, SENTINEL);
  fs.writeSync(2, SENTINEL);
  fs.writeSync(RESP_FD, JSON.stringify(reply) + '\n');
}

let chain = Promise.resolve();
const input = readline.createInterface({ input: fs.createReadStream(null, { fd: REQ_FD }) });
input.on('line', (line) => {
  let req;
  try { req = JSON.parse(line); } catch (e) { return; }
  chain = chain.then(() => execute(req));
});
input.on('close', () => process.exit(0));
