import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { nodeBinary } from '../emulator/node-runtimes';
import { DEFAULT_LIMITS, heapFlags, type FunctionLimits } from './function-errors';
import { Invocation, type ProcessResult } from './invocation-process';

/**
 * The Lambda stand-in's runtime: a version's package, extracted once, runs in a fresh Node
 * process per invocation (a cold start every time), with the function's environment, on the
 * detector's runtime (Lambda's nodejs22.x: Node 22, not the test runner's Node).
 */

export type RunResult = ProcessResult;

/**
 * Runs `index.handler`-style handlers: reads the event on stdin, tells fd 3 when the handler
 * starts (the Timeout counts from there; loading the module is the init phase) and its answer.
 */
const RUNNER = `
const { writeSync } = require('node:fs');
const [directory, handlerName] = process.argv.slice(1);
const [file, exported] = handlerName.split('.');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  try {
    const handler = require(require('node:path').join(directory, file))[exported];
    writeSync(3, 'invoked ' + process.version + '\\n');
    const result = await handler(JSON.parse(input), { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME });
    writeSync(3, 'result ' + JSON.stringify(result === undefined ? null : result) + '\\n');
  } catch (error) {
    console.error(String(error && error.stack || error));
    writeSync(3, 'error ' + JSON.stringify({ errorType: (error && error.name) || 'Error', errorMessage: String(error && error.message || error) }) + '\\n');
  }
});`;

export function noPackage(codeSha256: string | undefined): RunResult {
  // The stack's inline placeholder is zipped by moto, not sent through here: it only ever throws.
  const message = `the stand-in holds no package with CodeSha256 ${codeSha256 ?? '?'} (code created by the template)`;
  return {
    payload: JSON.stringify({ errorType: 'Runtime.ImportModuleError', errorMessage: message }),
    error: message,
    log: message,
    nodeVersion: undefined,
  };
}

export function extractOnce(zip: Uint8Array, directory: string): string {
  if (existsSync(directory)) return directory;
  for (const [path, data] of Object.entries(unzipSync(zip))) {
    if (path.endsWith('/')) continue;
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), data);
  }
  return directory;
}

/** Runs one invocation in a fresh Node process, held to the function's Timeout and MemorySize. */
export function runPackage(
  directory: string,
  handler: string,
  env: Record<string, string>,
  event: Buffer,
  limits: FunctionLimits = DEFAULT_LIMITS,
): Promise<RunResult> {
  const child = spawn(
    nodeBinary('node22'),
    [...heapFlags(limits.memoryMb), '-e', RUNNER, directory, handler],
    {
      env: {
        PATH: process.env.PATH ?? '',
        ...env,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(limits.memoryMb),
      },
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve) => {
    const invocation = new Invocation(child, limits, resolve);
    child.stdin.end(event);
    invocation.watch();
  });
}
