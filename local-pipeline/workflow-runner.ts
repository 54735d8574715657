import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { parse } from 'yaml';
import { parseOutputs, runActionBundle, TEST_SHA, type Annotation } from './action-runner';
import { repoRoot } from './tools';

/**
 * Runs the jobs of this repository's workflow files here, the way the runner would as far as
 * this machine allows: `${{ }}` expressions (if, env, with) are evaluated by GitHub's own
 * evaluator (@actions/expressions) against vars, inputs, env and earlier steps' outputs; our
 * actions (`uses: ./actions/…`) run exactly as the runner runs them; shell steps run in bash;
 * steps that cannot run here (checkout, toolchain set-up, AWS credentials, installs) are
 * reported as skipped with the reason. A wiring mistake in a workflow fails here.
 */

interface WorkflowStep {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, string | number | boolean>;
  readonly env?: Record<string, string | number | boolean>;
}

interface WorkflowJob {
  readonly env?: Record<string, string>;
  readonly steps: readonly WorkflowStep[];
}

interface Workflow {
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, WorkflowJob>;
}

export interface StepResult {
  readonly name: string;
  readonly id: string | undefined;
  readonly uses: string | undefined;
  readonly status: 'succeeded' | 'failed' | 'skipped';
  /** Why a step was skipped, or how it failed. */
  readonly reason: string | undefined;
  readonly inputs: Record<string, string>;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly annotations: readonly Annotation[];
  readonly durationMs: number;
}

export interface JobRun {
  readonly status: 'succeeded' | 'failed';
  readonly steps: readonly StepResult[];
}

export interface JobOptions {
  readonly workflow: string;
  readonly job: string;
  readonly vars?: Record<string, string>;
  readonly inputs?: Record<string, string | boolean>;
  readonly eventName?: string;
  /** Environment of every step (the emulator's endpoint and dummy credentials). */
  readonly env: Record<string, string>;
  readonly workspace?: string;
  readonly onStep?: (step: StepResult) => void;
}

/** Steps this machine cannot or must not run, and why. */
const NOT_RUN_HERE: [RegExp, string][] = [
  [/^actions\/checkout@/, 'the workspace is this clone'],
  [/^actions\/setup-(node|python)@/, "this machine's toolchain is used"],
  [/^aws-actions\/configure-aws-credentials@/, "credentials are the emulator's dummy keys"],
];
const INSTALL_COMMANDS = /^\s*(npm ci|python -m pip install)/;

export function loadWorkflow(name: string): Workflow {
  return parse(readFileSync(join(repoRoot, '.github', 'workflows', name), 'utf8')) as Workflow;
}

export async function runJob(options: JobOptions): Promise<JobRun> {
  const workflow = loadWorkflow(options.workflow);
  const job = workflow.jobs[options.job];
  if (!job) throw new Error(`${options.workflow} has no job ${options.job}`);
  const steps: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
  const results: StepResult[] = [];
  // Mutated by record(); an object so the closure's updates are visible to the checks below.
  const state = { failed: false };
  const context = () => ({
    github: {
      sha: TEST_SHA,
      repository: 'octo-org/anomaly-pipeline',
      event_name: options.eventName ?? 'push',
      token: 'local-token',
      server_url: 'https://github.com',
      run_id: '4242',
      workspace: options.workspace ?? repoRoot,
    },
    vars: options.vars ?? {},
    inputs: options.inputs ?? {},
    secrets: {},
    runner: { os: 'Linux', temp: tmpdir() },
    steps,
    env: {},
  });
  const workflowEnv = evaluateMap(workflow.env ?? {}, context(), state.failed);
  const jobEnv = {
    ...workflowEnv,
    ...evaluateMap(job.env ?? {}, { ...context(), env: workflowEnv }, state.failed),
  };

  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${index + 1}`;
    const base = { ...context(), env: jobEnv };
    const condition = step.if ?? 'success()';
    const started = Date.now();
    const record = (result: Omit<StepResult, 'name' | 'id' | 'uses' | 'durationMs'>) => {
      const full: StepResult = {
        name,
        id: step.id,
        uses: step.uses,
        durationMs: Date.now() - started,
        ...result,
      };
      results.push(full);
      if (step.id)
        steps[step.id] = {
          outputs: full.outputs,
          outcome:
            full.status === 'failed'
              ? 'failure'
              : full.status === 'skipped'
                ? 'skipped'
                : 'success',
        };
      if (full.status === 'failed') state.failed = true;
      options.onStep?.(full);
    };
    if (!truthy(evaluate(condition, base, state.failed))) {
      record(skipped(`its condition (${condition}) is false`));
      continue;
    }
    const notHere = step.uses
      ? NOT_RUN_HERE.find(([pattern]) => pattern.test(step.uses ?? ''))
      : undefined;
    if (notHere) {
      record(skipped(notHere[1]));
      continue;
    }
    const stepEnv = { ...jobEnv, ...evaluateMap(step.env ?? {}, base, state.failed) };
    if (step.uses?.startsWith('./actions/')) {
      const inputs = evaluateMap(step.with ?? {}, { ...base, env: stepEnv }, state.failed);
      const result = await runActionBundle(step.uses.replace('./actions/', ''), inputs, {
        env: { ...options.env, ...stepEnv },
        ...(options.workspace ? { workspace: options.workspace } : {}),
      });
      record({
        status: result.exitCode === 0 ? 'succeeded' : 'failed',
        reason: result.failure,
        inputs,
        outputs: result.outputs,
        summary: result.summary,
        annotations: result.annotations,
      });
      continue;
    }
    if (step.uses)
      throw new Error(
        `${options.workflow}: the local runner does not know how to run ${step.uses}`,
      );
    if (step.run && INSTALL_COMMANDS.test(step.run)) {
      record(skipped("it installs tools, which npm run local's set-up has done"));
      continue;
    }
    record(
      await runShell(step.run ?? '', { ...options.env, ...stepEnv }, options.workspace ?? repoRoot),
    );
  }
  return { status: state.failed ? 'failed' : 'succeeded', steps: results };
}

function skipped(reason: string): Omit<StepResult, 'name' | 'id' | 'uses' | 'durationMs'> {
  return { status: 'skipped', reason, inputs: {}, outputs: {}, summary: '', annotations: [] };
}

async function runShell(
  script: string,
  env: Record<string, string>,
  cwd: string,
): Promise<Omit<StepResult, 'name' | 'id' | 'uses' | 'durationMs'>> {
  const scratch = mkdtempSync(join(tmpdir(), 'workflow-step-'));
  const summaryFile = join(scratch, 'summary');
  const outputFile = join(scratch, 'output');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  try {
    const { code, output } = await new Promise<{ code: number | null; output: string }>(
      (resolve) => {
        const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], {
          cwd,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? scratch,
            ...env,
            GITHUB_STEP_SUMMARY: summaryFile,
            GITHUB_OUTPUT: outputFile,
          },
        });
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.once('close', (exit) => {
          resolve({ code: exit, output: text });
        });
      },
    );
    return {
      status: code === 0 ? 'succeeded' : 'failed',
      reason: code === 0 ? undefined : `exit code ${String(code)}: ${output.slice(-2000)}`,
      inputs: {},
      outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      annotations: [],
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function evaluateMap(
  values: Record<string, string | number | boolean>,
  context: object,
  failed: boolean,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(values))
    result[key] = interpolate(String(value), context, failed);
  return result;
}

/** Replaces each `${{ expression }}` in a value with its evaluated string. */
export function interpolate(value: string, context: object, failed = false): string {
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_match, expression: string) =>
    evaluate(expression, context, failed).coerceString(),
  );
}

const STATUS_FUNCTIONS = (failed: boolean) => [
  {
    name: 'success',
    description: '',
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(!failed),
  },
  {
    name: 'failure',
    description: '',
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(failed),
  },
  {
    name: 'always',
    description: '',
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(true),
  },
  {
    name: 'cancelled',
    description: '',
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(false),
  },
];

function evaluate(expression: string, context: object, failed: boolean) {
  const source = expression
    .trim()
    .replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
    .trim();
  const { tokens } = new Lexer(source).lex();
  const functions = STATUS_FUNCTIONS(failed);
  const parsed = new Parser(tokens, Object.keys(context), functions).parse();
  return new Evaluator(
    parsed,
    toData(context) as data.Dictionary,
    functionMap(functions),
  ).evaluate();
}

function functionMap(functions: ReturnType<typeof STATUS_FUNCTIONS>) {
  return new Map(functions.map((fn) => [fn.name.toLowerCase(), fn]));
}

function truthy(value: data.ExpressionData): boolean {
  return (
    value.coerceString() !== '' && value.coerceString() !== 'false' && value.coerceString() !== '0'
  );
}

function toData(value: unknown): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toData));
  return new data.Dictionary(
    ...Object.entries(value as Record<string, unknown>).map(([key, item]) => ({
      key,
      value: toData(item),
    })),
  );
}
