import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';

/**
 * The Lambda stand-in's runtime: a version's package, extracted once, runs in a fresh Node
 * process per invocation (a cold start every time), with the function's environment.
 */

export interface RunResult {
  readonly payload: string;
  readonly error: string | undefined;
  readonly log: string;
}

/** Runs `index.handler`-style handlers: reads the event on stdin, prints the result last. */
const RUNNER = `
const [directory, handlerName] = process.argv.slice(1);
const [file, exported] = handlerName.split('.');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  try {
    const handler = require(require('node:path').join(directory, file))[exported];
    const result = await handler(JSON.parse(input), { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME });
    process.stdout.write('\\n@@RESULT@@' + JSON.stringify(result === undefined ? null : result));
  } catch (error) {
    console.error(String(error && error.stack || error));
    process.stdout.write('\\n@@ERROR@@' + JSON.stringify({ errorType: (error && error.name) || 'Error', errorMessage: String(error && error.message || error) }));
  }
});`;

export function noPackage(codeSha256: string | undefined): RunResult {
  // The stack's inline placeholder is zipped by moto, not sent through here: it only ever throws.
  const message = `the stand-in holds no package with CodeSha256 ${codeSha256 ?? '?'} (code created by the template)`;
  return {
    payload: JSON.stringify({ errorType: 'Runtime.ImportModuleError', errorMessage: message }),
    error: message,
    log: message,
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

export function runPackage(
  directory: string,
  handler: string,
  env: Record<string, string>,
  event: Buffer,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', RUNNER, directory, handler], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', () => {
      const result = /\n@@RESULT@@(.*)$/s.exec(stdout)?.[1];
      const error = /\n@@ERROR@@(.*)$/s.exec(stdout)?.[1];
      const log = `${stdout.replace(/\n@@(RESULT|ERROR)@@.*$/s, '')}${stderr}`;
      if (result !== undefined) resolve({ payload: result, error: undefined, log });
      else {
        const payload =
          error ??
          JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: stderr.slice(-500) });
        const parsed = JSON.parse(payload) as { errorMessage?: string };
        resolve({ payload, error: parsed.errorMessage ?? 'error', log });
      }
    });
    child.stdin.end(event);
  });
}
