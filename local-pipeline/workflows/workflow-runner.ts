import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runActionBundle, TEST_SHA, type Annotation } from './action-runner';
import { runStepProcess } from './step-process';
import { repoRoot } from '../emulator/tools';
import { conditionHolds, evaluateMap } from './workflow-expressions';

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
  readonly outputs?: Record<string, string>;
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

/** A step's result as the step itself decides it. */
type StepOutcome = Omit<StepResult, 'name' | 'id' | 'uses' | 'durationMs'>;

export interface JobRun {
  readonly status: 'succeeded' | 'failed';
  readonly steps: readonly StepResult[];
  /** The job's `outputs:`, evaluated after its steps, as later jobs see them in `needs`. */
  readonly outputs: Record<string, string>;
}

/** What a later job sees of an earlier one (`needs.<job>.outputs`, `needs.<job>.result`). */
export interface NeededJob {
  readonly outputs: Record<string, string>;
  readonly result: 'success' | 'failure' | 'skipped';
}

export interface JobOptions {
  readonly workflow: string;
  readonly job: string;
  readonly vars?: Record<string, string>;
  readonly inputs?: Record<string, string | boolean>;
  readonly needs?: Record<string, NeededJob>;
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
  [/^actions\/(upload|download)-artifact@/, 'the jobs share this workspace here'],
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
  let failed = false;
  const context = jobContext(options, steps);
  const workflowEnv = evaluateMap(workflow.env ?? {}, context, failed);
  const jobEnv = {
    ...workflowEnv,
    ...evaluateMap(job.env ?? {}, { ...context, env: workflowEnv }, failed),
  };

  for (const [index, step] of job.steps.entries()) {
    const started = Date.now();
    const outcome = await runStep(step, { ...context, env: jobEnv }, failed, options);
    const result: StepResult = {
      name: step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${index + 1}`,
      id: step.id,
      uses: step.uses,
      durationMs: Date.now() - started,
      ...outcome,
    };
    results.push(result);
    if (step.id)
      steps[step.id] = {
        outputs: result.outputs,
        outcome:
          result.status === 'failed'
            ? 'failure'
            : result.status === 'skipped'
              ? 'skipped'
              : 'success',
      };
    if (result.status === 'failed') failed = true;
    options.onStep?.(result);
  }
  const outputs = evaluateMap(job.outputs ?? {}, { ...context, env: jobEnv }, failed);
  return { status: failed ? 'failed' : 'succeeded', steps: results, outputs };
}

/** What `${{ }}` expressions of the job see; `env` is each scope's own. */
function jobContext(options: JobOptions, steps: Record<string, unknown>) {
  return {
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
    needs: options.needs ?? {},
    secrets: {},
    runner: { os: 'Linux', temp: tmpdir() },
    steps,
    env: {},
  };
}

/** One step: skipped (saying why) or run here as the runner would run it. */
async function runStep(
  step: WorkflowStep,
  context: { readonly env: Record<string, string> },
  failed: boolean,
  options: JobOptions,
): Promise<StepOutcome> {
  const condition = step.if ?? 'success()';
  if (!conditionHolds(condition, context, failed))
    return skipped(`its condition (${condition}) is false`);
  const notHere = step.uses
    ? NOT_RUN_HERE.find(([pattern]) => pattern.test(step.uses ?? ''))
    : undefined;
  if (notHere) return skipped(notHere[1]);
  const stepEnv = { ...context.env, ...evaluateMap(step.env ?? {}, context, failed) };
  if (step.uses?.startsWith('./actions/')) {
    const inputs = evaluateMap(step.with ?? {}, { ...context, env: stepEnv }, failed);
    const result = await runActionBundle(step.uses.replace('./actions/', ''), inputs, {
      env: { ...options.env, ...stepEnv },
      ...(options.workspace ? { workspace: options.workspace } : {}),
    });
    return {
      status: result.exitCode === 0 ? 'succeeded' : 'failed',
      reason: result.failure,
      inputs,
      outputs: result.outputs,
      summary: result.summary,
      annotations: result.annotations,
    };
  }
  if (step.uses)
    throw new Error(`${options.workflow}: the local runner does not know how to run ${step.uses}`);
  if (step.run && INSTALL_COMMANDS.test(step.run))
    return skipped("it installs tools, which npm run local's set-up has done");
  return runShell(step.run ?? '', { ...options.env, ...stepEnv }, options.workspace ?? repoRoot);
}

function skipped(reason: string): StepOutcome {
  return { status: 'skipped', reason, inputs: {}, outputs: {}, summary: '', annotations: [] };
}

async function runShell(
  script: string,
  env: Record<string, string>,
  cwd: string,
): Promise<StepOutcome> {
  const run = await runStepProcess('workflow-step-', (files) =>
    spawn('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? files.scratch,
        ...env,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_OUTPUT: files.output,
      },
    }),
  );
  return {
    status: run.exitCode === 0 ? 'succeeded' : 'failed',
    reason:
      run.exitCode === 0
        ? undefined
        : `exit code ${String(run.exitCode)}: ${run.output.slice(-2000)}`,
    inputs: {},
    outputs: run.outputs,
    summary: run.summary,
    annotations: [],
  };
}
