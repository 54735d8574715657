// Runs `npm run bootstrap`'s own entry (scripts/bootstrap.mjs: the bundled bootstrap/src/index.ts)
// as a child process against the emulator and a fake GitHub, the way a user runs it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { emulatorEnvironment } from '../../local-pipeline/emulator/clients';
import { repoRoot } from '../../local-pipeline/emulator/tools';

export interface BootstrapRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The last stdout line, parsed: the JSON summary. */
  readonly summary: Record<string, unknown> | undefined;
}

export async function runBootstrap(
  args: readonly string[],
  env: { endpoint: string; githubUrl?: string; token?: string; extra?: Record<string, string> },
): Promise<BootstrapRun> {
  const result = await new Promise<{ exitCode: number; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn('node', [join(repoRoot, 'scripts', 'bootstrap.mjs'), ...args], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          ...emulatorEnvironment(env.endpoint),
          ...(env.githubUrl ? { GITHUB_API_URL: env.githubUrl } : {}),
          ...(env.token ? { GITHUB_TOKEN: env.token } : {}),
          ...env.extra,
        },
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.once('error', reject);
      child.once('close', (code) => {
        resolve({
          exitCode: code ?? -1,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
    },
  );
  const last = result.stdout.trim().split('\n').pop() ?? '';
  let summary: Record<string, unknown> | undefined;
  try {
    summary = JSON.parse(last) as Record<string, unknown>;
  } catch {
    summary = undefined;
  }
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, summary };
}
