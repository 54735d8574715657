import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { pythonExecutable, pipelineFile } from './tools';

/** A running moto server and how to reach and stop it. */
export interface MotoServer {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

/**
 * Starts moto on 127.0.0.1 on a free port, waits until it answers, and switches Lambda to
 * no-Docker mode (there is no Docker engine; functions are created but never executed).
 */
export async function startMoto(): Promise<MotoServer> {
  const child = spawn(pythonExecutable(), [pipelineFile('emulator', 'moto_server.py')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  // MOTO_LOG_DIR=path keeps each server's log (tracebacks of emulator errors) for debugging.
  const logDir = process.env.MOTO_LOG_DIR;
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 200) stderr.push(chunk.toString());
    if (logDir) appendFileSync(join(logDir, `moto-${child.pid ?? 0}.log`), chunk);
  });
  try {
    const port = await readPort(child, () => stderr.join(''));
    const endpoint = `http://127.0.0.1:${port}`;
    await waitUntilAnswering(endpoint);
    await configureMoto(endpoint);
    return { endpoint, pid: child.pid ?? -1, stop: () => stopProcess(child) };
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
}

function readPort(child: ChildProcess, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`moto did not start within ${STARTUP_TIMEOUT_MS} ms:\n${stderr()}`));
    }, STARTUP_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`moto exited with code ${code} before listening:\n${stderr()}`));
    });
  });
}

async function waitUntilAnswering(endpoint: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Applies the settings every test relies on; called after start and after each reset. */
export async function configureMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    body: JSON.stringify({ lambda: { use_docker: false } }),
  });
  if (!response.ok) throw new Error(`moto config failed: HTTP ${response.status}`);
}

/** Forgets every resource moto holds, so each test file starts from an empty account. */
export async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
  await configureMoto(endpoint);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.stdin?.end();
  });
}
