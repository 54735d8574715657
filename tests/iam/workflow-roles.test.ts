import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { readTemplate } from './render';

// The workflows use each role where it belongs: the deploy role (with a session as long as the
// job) in the deploy environment, the preview role in its own environment, and the execution role
// on every stack operation.

interface Step {
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly environment?: string;
  readonly 'timeout-minutes'?: number;
  readonly steps: Step[];
}

const jobsOf = (file: string): Record<string, Job> =>
  (
    parse(readFileSync(join(repoRoot, '.github/workflows', file), 'utf8')) as {
      jobs: Record<string, Job>;
    }
  ).jobs;
const credentialsOf = (job: Job) =>
  job.steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
const bootstrap = readTemplate('bootstrap-oidc.json') as unknown as {
  Resources: Record<string, { Properties: { MaxSessionDuration?: number } }>;
};
const maxSession = (role: string) =>
  bootstrap.Resources[role]!.Properties.MaxSessionDuration ?? 3600;

const awsJobs = ['deploy.yml', 'teardown.yml', 'pr.yml', 'rollback.yml'].flatMap((file) =>
  Object.entries(jobsOf(file))
    .filter(([, job]) => credentialsOf(job))
    .map(([name, job]): [string, Job] => [`${file} ${name}`, job]),
);

describe.each(awsJobs)('%s', (name, job) => {
  const credentials = credentialsOf(job)!.with!;
  const preview = name.startsWith('pr.yml');
  const role = preview ? 'PreviewRole' : 'DeployRole';

  it(`assumes the ${preview ? 'preview' : 'deploy'} role in ${preview ? 'the preview' : 'the deploy'} environment`, () => {
    expect(credentials['role-to-assume']).toBe(
      `\${{ vars.${preview ? 'AWS_PREVIEW_ROLE_ARN' : 'AWS_DEPLOY_ROLE_ARN'} }}`,
    );
    // deploy.yml's jobs are named for their environment; teardown and rollback take it as input.
    const deployEnvironment = name.startsWith('deploy.yml')
      ? name.replace('deploy.yml ', '')
      : '${{ inputs.environment }}';
    expect(job.environment).toBe(preview ? 'preview' : deployEnvironment);
  });

  it('holds a session that lasts as long as the job may run, and the role allows it', () => {
    const seconds = Number(credentials['role-duration-seconds'] ?? 3600);
    expect(seconds).toBeGreaterThanOrEqual((job['timeout-minutes'] ?? 360) * 60);
    expect(maxSession(role)).toBeGreaterThanOrEqual(seconds);
  });

  it('runs every stack operation as the execution role', () => {
    const stackSteps = job.steps.filter((step) =>
      /^\.\/actions\/(cfn-deploy|teardown)$/.test(step.uses ?? ''),
    );
    // Only the rollback (an alias moved back) touches no stack.
    expect(stackSteps.length > 0).toBe(!name.startsWith('rollback.yml'));
    for (const step of stackSteps)
      expect(step.with?.['role-arn']).toBe('${{ vars.AWS_CFN_EXECUTION_ROLE_ARN }}');
  });
});
