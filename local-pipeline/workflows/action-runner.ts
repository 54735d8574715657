import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { nodeBinary, REPORT_NODE_VERSION } from '../emulator/node-runtimes';
import { runStepProcess } from './step-process';
import { repoRoot, toolEnvironment } from '../emulator/tools';

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
  /** The Node.js version the bundle ran on (the actions' runtime, Node 24). */
  readonly nodeVersion: string | undefined;
}

/**
 * Runs `node actions/<name>/dist/index.js` the way the GitHub runner does, on the actions'
 * runtime (Node 24, `runs.using: node24`, not the test runner's Node): inputs as
 * INPUT_<NAME> variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE.
 */
export async function runActionBundle(
  name: string,
  inputs: Record<string, string>,
  options: { env?: Record<string, string>; workspace?: string } = {},
): Promise<ActionResult> {
  const inputEnv = inputEnvironment({ ...actionDefaults(name), ...inputs });
  const workspace = options.workspace ?? repoRoot;
  const run = await runStepProcess(`action-${name}-`, (files) =>
    spawn(
      nodeBinary('node24'),
      ['--require', REPORT_NODE_VERSION, join(repoRoot, 'actions', name, 'dist', 'index.js')],
      {
        cwd: workspace,
        env: {
          ...toolEnvironment({
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? files.scratch,
          }),
          GITHUB_ACTIONS: 'true',
          GITHUB_SHA: TEST_SHA,
          GITHUB_RUN_ID: '4242',
          GITHUB_SERVER_URL: 'https://github.com',
          GITHUB_REPOSITORY: 'octo-org/anomaly-pipeline',
          GITHUB_EVENT_NAME: 'push',
          GITHUB_WORKSPACE: workspace,
          GITHUB_OUTPUT: files.output,
          GITHUB_STEP_SUMMARY: files.summary,
          RUNNER_TEMP: files.scratch,
          ...inputEnv,
          ...options.env,
          REPORT_NODE_VERSION_TO: files.nodeVersion,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
  );
  const annotations = parseAnnotations(run.output);
  // setFailed writes an error without properties: the step's failure, not an annotation.
  const isFailure = (annotation: Annotation) =>
    annotation.level === 'error' && Object.keys(annotation.properties).length === 0;
  return {
    exitCode: run.exitCode,
    stdout: run.output,
    outputs: run.outputs,
    summary: run.summary,
    annotations: annotations.filter((annotation) => !isFailure(annotation)),
    failure: annotations.find(isFailure)?.message,
    nodeVersion: run.nodeVersion,
  };
}

/** Each input as the runner passes it: INPUT_<NAME>, spaces as underscores, upper case. */
function inputEnvironment(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([key, value]) => [
      `INPUT_${key.replace(/ /g, '_').toUpperCase()}`,
      value,
    ]),
  );
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
