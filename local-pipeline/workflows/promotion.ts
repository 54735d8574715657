import { setTimeout as pause } from 'node:timers/promises';
import { PRODUCTION } from '../../bootstrap/src/environments';
import type { LocalEnvironment } from '../local-environment';
import type { KinesisPoller } from '../lambda/kinesis-poller';
import { localVars } from './local-vars';
import type { JobRun, NeededJob, StepResult } from './workflow-runner';

/**
 * deploy.yml's promotion on one emulator account: the build job once, then each environment's
 * job in the workflow's order (staging, with its smoke check, before production), each given the
 * build's outputs and the earlier jobs' as `needs`, all in one workspace (the artifacts stay
 * where the build job made them, as the download steps would put them).
 */

/** The production environment's required reviewers: nobody is asked here, and the report says so. */
export const LOCAL_APPROVAL =
  "granted locally: npm run local stands in for the production environment's required reviewers";

/** What one environment's job deployed: the artifacts it checked and the Lambda code it got. */
export interface PromotedJob {
  readonly environment: string;
  readonly stackName: string;
  readonly lambdaSha256: string;
  readonly revisionSha256: string;
  readonly codeSha256: string;
  readonly approval: string;
}

export interface Promotion {
  readonly build: { readonly lambdaSha256: string; readonly revisionSha256: string };
  readonly jobs: PromotedJob[];
}

export interface PromotionRun {
  readonly runs: Map<string, JobRun>;
  readonly promotion: Promotion;
  /** Environments whose detector already ran behind the stream (for the smoke check). */
  readonly detectors: Map<string, KinesisPoller>;
}

export interface PromotionHooks {
  readonly onStep: (job: string) => (step: StepResult) => void;
  /** Runs one job (to show it as a stage of its own); `body` fails naming a failed step. */
  readonly job: (job: string, body: () => Promise<JobRun>) => Promise<JobRun>;
  /** Stands between the jobs; the production job starts only once it resolves. */
  readonly approve: (environment: string) => Promise<void>;
  /** The detector behind the current stack's stream (the event source mapping's stand-in). */
  readonly detector: () => Promise<KinesisPoller>;
}

/** Fails naming the first failed step of a job. */
export function requireSuccess(run: JobRun, job: string): JobRun {
  const failed = run.steps.find((step) => step.status === 'failed');
  if (failed)
    throw new Error(
      `${job} step "${failed.name}" failed: ${(failed.reason ?? '').split('\n')[0] ?? ''}`,
    );
  return run;
}

export async function promote(
  local: LocalEnvironment,
  environments: readonly string[],
  hooks: PromotionHooks,
): Promise<PromotionRun> {
  const build = await hooks.job('build', async () =>
    requireSuccess(await local.deployJob('build', {}, hooks.onStep('build')), 'build'),
  );
  const needs: Record<string, NeededJob> = { build: { outputs: build.outputs, result: 'success' } };
  const runs = new Map<string, JobRun>();
  const detectors = new Map<string, KinesisPoller>();
  for (const environment of environments) {
    if (environment === PRODUCTION) await hooks.approve(environment);
    const run = await hooks.job(environment, async () => {
      const { run, poller } = await environmentJob(local, environment, needs, hooks);
      if (poller) detectors.set(environment, poller);
      return requireSuccess(run, environment);
    });
    runs.set(environment, run);
    needs[environment] = { outputs: run.outputs, result: 'success' };
  }
  const built = {
    lambdaSha256: build.outputs['lambda-sha256'] ?? '',
    revisionSha256: build.outputs['revision-sha256'] ?? '',
  };
  const jobs = environments.map((environment) => promotedJob(environment, runs.get(environment)!));
  return { runs, detectors, promotion: { build: built, jobs } };
}

/**
 * An environment's job, with the detector polling its stream from the moment the producer is
 * deployed (the smoke check that follows needs it, as the deployed mapping would be there).
 */
async function environmentJob(
  local: LocalEnvironment,
  environment: string,
  needs: Record<string, NeededJob>,
  hooks: PromotionHooks,
): Promise<{ run: JobRun; poller: KinesisPoller | undefined }> {
  const mapping = new EventSourceMapping(hooks.detector);
  const run = await local
    .deployJob(environment, needs, (step) => {
      if (step.id === 'producer' && step.status === 'succeeded') mapping.start();
      hooks.onStep(environment)(step);
    })
    .finally(() => mapping.stop());
  return { run, poller: await mapping.stop() };
}

function promotedJob(environment: string, run: JobRun): PromotedJob {
  const outputs = (id: string) => run.steps.find((step) => step.id === id)?.outputs ?? {};
  return {
    environment,
    stackName: localVars(environment).STACK_NAME,
    lambdaSha256: outputs('artifacts')['lambda-sha256'] ?? '',
    revisionSha256: outputs('artifacts')['revision-sha256'] ?? '',
    codeSha256: outputs('lambda')['code-sha256'] ?? '',
    approval: environment === PRODUCTION ? LOCAL_APPROVAL : 'none required',
  };
}

/** The detector polling the stream while a job runs; `stop` hands the poller over (or its error). */
class EventSourceMapping {
  private running: Promise<KinesisPoller> | undefined;
  private stopped = false;

  constructor(private readonly detector: () => Promise<KinesisPoller>) {}

  start(): void {
    if (this.running) return;
    this.running = this.poll();
    // Its failure is reported by stop(), after the job; not an unhandled rejection meanwhile.
    this.running.catch(() => undefined);
  }

  async stop(): Promise<KinesisPoller | undefined> {
    this.stopped = true;
    return this.running;
  }

  private async poll(): Promise<KinesisPoller> {
    const poller = await this.detector();
    while (!this.stopped) {
      await poller.drain();
      // The mapping polls a shard about once a second; a pause keeps two cores free for the check.
      await pause(250);
    }
    return poller;
  }
}
