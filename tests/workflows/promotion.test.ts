import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../local-pipeline/emulator/tools';

// deploy.yml builds once, deploys staging and smoke-checks it, then deploys the same artifacts to
// production behind the production environment's required reviewers; teardown.yml and
// rollback.yml act on the environment a person picks.
interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  environment?: string;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, { inputs?: Record<string, { type: string; options?: string[] }> }>;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

const load = (name: string) =>
  parse(readFileSync(join(repoRoot, '.github', 'workflows', name), 'utf8')) as Workflow;
const deploy = load('deploy.yml');
const job = (name: string): Job => {
  const found = deploy.jobs[name];
  if (!found) throw new Error(`deploy.yml has no job ${name}`);
  return found;
};
const needs = (name: string) => [job(name).needs ?? []].flat();
const step = (jobName: string, id: string): Step => {
  const found = job(jobName).steps.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`deploy.yml ${jobName} has no step ${id}`);
  return found;
};
const usesOf = (jobName: string) => job(jobName).steps.map((one) => one.uses ?? '');

describe('deploy.yml promotes one build from staging to production', () => {
  it('runs build, then staging, then production, each deploy in its own environment', () => {
    expect(Object.keys(deploy.jobs)).toEqual(['build', 'staging', 'production']);
    expect(job('build').environment).toBeUndefined();
    expect(needs('staging')).toEqual(['build']);
    expect(job('staging').environment).toBe('staging');
    expect(needs('production')).toEqual(['build', 'staging']);
    // The production environment's required reviewers gate this job: nothing reaches production
    // before staging passed and someone approved.
    expect(job('production').environment).toBe('production');
  });

  it('smoke-checks staging before production can start', () => {
    expect(step('staging', 'smoke').uses).toBe('./actions/smoke-check');
    expect(step('staging', 'smoke').with).toMatchObject({
      'stream-name': '${{ steps.stack.outputs.StreamName }}',
      'table-name': '${{ steps.stack.outputs.TableName }}',
    });
    expect(usesOf('production')).not.toContain('./actions/smoke-check');
  });

  it('builds only in the build job, and hands the artifacts and their hashes on', () => {
    const builds = (name: string) =>
      job(name).steps.filter((one) => /npm (ci|run build)/.test(one.run ?? '')).length;
    expect(builds('build')).toBe(2);
    expect(builds('staging') + builds('production')).toBe(0);
    expect(usesOf('build').some((uses) => uses.startsWith('actions/upload-artifact@'))).toBe(true);
    expect(job('build').outputs).toEqual({
      'lambda-sha256': '${{ steps.hashes.outputs.lambda-sha256 }}',
      'revision-sha256': '${{ steps.hashes.outputs.revision-sha256 }}',
    });
  });

  it.each(['staging', 'production'])(
    '%s deploys the downloaded artifacts after checking their hashes against the build',
    (name) => {
      const uses = usesOf(name);
      const download = uses.findIndex((one) => one.startsWith('actions/download-artifact@'));
      const check = job(name).steps.findIndex((one) => one.id === 'artifacts');
      const firstDeploy = uses.indexOf('./actions/cfn-deploy');
      expect(download).toBeGreaterThan(-1);
      expect(check).toBeGreaterThan(download);
      expect(firstDeploy).toBeGreaterThan(check);
      expect(step(name, 'artifacts').env).toEqual({
        BUILT_LAMBDA_SHA256: '${{ needs.build.outputs.lambda-sha256 }}',
        BUILT_REVISION_SHA256: '${{ needs.build.outputs.revision-sha256 }}',
      });
      expect(step(name, 'artifacts').run).toContain('exit 1');
      expect(step(name, 'lambda').with?.package).toBe('lambda/dist');
      expect(step(name, 'producer').with?.revision).toBe('appspec');
      expect(job(name).env?.ENVIRONMENT_NAME).toBe(name);
      expect(step(name, 'stack').with?.['parameter-overrides']).toContain(
        'EnvironmentName=${{ env.ENVIRONMENT_NAME }}',
      );
    },
  );

  it("shows, next to production's Lambda CodeSha256, the one staging was smoke-checked with", () => {
    expect(job('staging').outputs).toEqual({
      'code-sha256': '${{ steps.lambda.outputs.code-sha256 }}',
    });
    const summary = job('production').steps.find((one) => one.name === 'Summary');
    expect(summary?.env?.STAGING_CODE_SHA256).toBe('${{ needs.staging.outputs.code-sha256 }}');
    expect(summary?.run).toContain('${STAGING_CODE_SHA256:-?}');
  });

  it.each(['staging', 'production'])('shows both hashes in the %s job summary', (name) => {
    const summary = job(name).steps.find((one) => one.name === 'Summary');
    expect(summary?.env).toMatchObject({
      LAMBDA_SHA256: '${{ steps.artifacts.outputs.lambda-sha256 }}',
      REVISION_SHA256: '${{ steps.artifacts.outputs.revision-sha256 }}',
      CODE_SHA256: '${{ steps.lambda.outputs.code-sha256 }}',
    });
    expect(summary?.run).toContain('${LAMBDA_SHA256:-?}');
    expect(summary?.run).toContain('${REVISION_SHA256:-?}');
  });

  it('serialises each environment on its own, never cancelling a running deploy', () => {
    expect(deploy.concurrency).toBeUndefined();
    for (const name of ['staging', 'production'])
      expect(job(name).concurrency).toEqual({
        group: `anomaly-detection-aws-${name}`,
        'cancel-in-progress': false,
      });
  });
});

describe.each(['teardown.yml', 'rollback.yml'])('%s', (name) => {
  const workflow = load(name);
  const [only] = Object.values(workflow.jobs);

  it('asks which environment, staging or production, and runs in it', () => {
    expect(workflow.on.workflow_dispatch?.inputs?.environment).toMatchObject({
      type: 'choice',
      options: ['staging', 'production'],
    });
    expect(only?.environment).toBe('${{ inputs.environment }}');
  });
});

it('keeps the pull-request preview read-only, in its own environment', () => {
  const pr = load('pr.yml');
  const previewJobs = Object.values(pr.jobs).filter((one) => one.environment !== undefined);
  expect(previewJobs.map((one) => one.environment)).toEqual(['preview']);
  const preview = previewJobs[0]!.steps.find((one) => one.uses === './actions/cfn-deploy');
  expect(preview?.with?.execute).toBe('false');
});
