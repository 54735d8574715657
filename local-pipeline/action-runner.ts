import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot, toolEnvironment } from './tools';

export const TEST_SHA = '0123456789abcdef0123456789abcdef01234567';

export interface Annotation {
  readonly level: 'error' | 'warning' | 'notice';
  readonly properties: Record<string, string>;
  readonly message: string;
}

export interface ActionResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly annotations: readonly Annotation[];
  readonly failure: string | undefined;
}

/**
 * Runs `node actions/<name>/dist/index.js` the way the GitHub runner does: inputs as
 * INPUT_<NAME> variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE.
 */
export async function runActionBundle(
  name: string,
  inputs: Record<string, string>,
  options: { env?: Record<string, string>; workspace?: string } = {},
): Promise<ActionResult> {
  const scratch = mkdtempSync(join(tmpdir(), `action-${name}-`));
  const outputFile = join(scratch, 'output');
  const summaryFile = join(scratch, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const inputEnv = Object.fromEntries(
    Object.entries({ ...actionDefaults(name), ...inputs }).map(([key, value]) => [
      `INPUT_${key.replace(/ /g, '_').toUpperCase()}`,
      value,
    ]),
  );
  const workspace = options.workspace ?? repoRoot;
  try {
    const { exitCode, stdout } = await new Promise<{ exitCode: number | null; stdout: string }>(
      (resolve) => {
        const child = spawn(
          process.execPath,
          [join(repoRoot, 'actions', name, 'dist', 'index.js')],
          {
            cwd: workspace,
            env: {
              ...toolEnvironment({
                PATH: process.env.PATH ?? '',
                HOME: process.env.HOME ?? scratch,
              }),
              GITHUB_ACTIONS: 'true',
              GITHUB_SHA: TEST_SHA,
              GITHUB_RUN_ID: '4242',
              GITHUB_SERVER_URL: 'https://github.com',
              GITHUB_REPOSITORY: 'octo-org/anomaly-pipeline',
              GITHUB_EVENT_NAME: 'push',
              GITHUB_WORKSPACE: workspace,
              GITHUB_OUTPUT: outputFile,
              GITHUB_STEP_SUMMARY: summaryFile,
              RUNNER_TEMP: scratch,
              ...inputEnv,
              ...options.env,
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.once('close', (code) => {
          resolve({ exitCode: code, stdout: out });
        });
      },
    );
    const annotations = parseAnnotations(stdout);
    return {
      exitCode,
      stdout,
      outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      annotations: annotations.filter(
        (annotation) =>
          !(annotation.level === 'error' && Object.keys(annotation.properties).length === 0),
      ),
      failure: annotations.find(
        (annotation) =>
          annotation.level === 'error' && Object.keys(annotation.properties).length === 0,
      )?.message,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The runner passes each input's action.yml default when the workflow gives none. */
function actionDefaults(name: string): Record<string, string> {
  const metadata = parse(readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: string | number | boolean }>;
  };
  return Object.fromEntries(
    Object.entries(metadata.inputs ?? {}).flatMap(([input, spec]) =>
      spec.default === undefined ? [] : [[input, String(spec.default)]],
    ),
  );
}

/** GITHUB_OUTPUT: `name<<DELIMITER\nvalue\nDELIMITER` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}

const unescape = (text: string) =>
  text
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');

/** `::error file=a,line=1::message` workflow commands (setFailed is an error without properties). */
export function parseAnnotations(stdout: string): Annotation[] {
  const annotations: Annotation[] = [];
  for (const match of stdout.matchAll(/^::(error|warning|notice)(?: ([^:]*))?::(.*)$/gm)) {
    const properties = Object.fromEntries(
      (match[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => {
          const [key, ...value] = pair.split('=');
          return [key!, unescape(value.join('='))];
        }),
    );
    annotations.push({
      level: match[1] as Annotation['level'],
      properties,
      message: unescape(match[3]!),
    });
  }
  return annotations;
}
