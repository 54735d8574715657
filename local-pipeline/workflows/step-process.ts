import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * One step's process as the GitHub runner runs it (an action's bundle or a shell step): with
 * its own GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files in a scratch directory, removed once the
 * process has exited and the files are read.
 */

export interface StepFiles {
  /** The step's scratch directory (RUNNER_TEMP, or HOME where there is none). */
  readonly scratch: string;
  readonly output: string;
  readonly summary: string;
  /** Where a bundle run with REPORT_NODE_VERSION writes the version of Node it ran on. */
  readonly nodeVersion: string;
}

export interface StepProcessResult {
  readonly exitCode: number | null;
  /** stdout and stderr together, in the order they came. */
  readonly output: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** The Node.js version the step's bundle reported it ran on, if it reported one. */
  readonly nodeVersion: string | undefined;
}

type StepChild = ChildProcess & { readonly stdout: Readable; readonly stderr: Readable };

export async function runStepProcess(
  scratchPrefix: string,
  start: (files: StepFiles) => StepChild,
): Promise<StepProcessResult> {
  const scratch = mkdtempSync(join(tmpdir(), scratchPrefix));
  const files = {
    scratch,
    output: join(scratch, 'output'),
    summary: join(scratch, 'summary'),
    nodeVersion: join(scratch, 'node-version'),
  };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  try {
    const { exitCode, output } = await new Promise<{ exitCode: number | null; output: string }>(
      (resolve) => {
        const child = start(files);
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.once('close', (code) => {
          resolve({ exitCode: code, output: text });
        });
      },
    );
    return {
      exitCode,
      output,
      outputs: parseOutputs(readFileSync(files.output, 'utf8')),
      summary: readFileSync(files.summary, 'utf8'),
      nodeVersion: existsSync(files.nodeVersion)
        ? readFileSync(files.nodeVersion, 'utf8')
        : undefined,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** GITHUB_OUTPUT, as the runner reads it: `name=value` lines and `name<<DELIMITER` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const block = /^([^=]+?)<<(.+)$/.exec(line);
    if (block) {
      const close = lines.indexOf(block[2]!, index + 1);
      if (close === -1) throw new Error(`GITHUB_OUTPUT: ${block[1]!} has no closing ${block[2]!}`);
      outputs[block[1]!] = lines.slice(index + 1, close).join('\n');
      index = close;
      continue;
    }
    const single = /^([^=]+)=(.*)$/.exec(line);
    if (single) outputs[single[1]!] = single[2]!;
  }
  return outputs;
}
