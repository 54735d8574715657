import { runJob, type JobRun } from '../../local-pipeline/workflows/workflow-runner';
import { emulatorEnvironment } from '../../local-pipeline/emulator/clients';
import {
  HAND_CHANGES,
  changeBehindTheStacksBack,
} from '../../local-pipeline/drift/behind-the-back';
import { startFakeGitHub, type FakeGitHub } from '../../local-pipeline/drift/fake-github';
import { STACK_NAME, deployedStack, emulator, useEmulator } from '../actions/cfn-deploy/emulator';
import { motoEndpoint } from '../support/emulator';

useEmulator();

let github: FakeGitHub;
beforeEach(async () => {
  github = await startFakeGitHub('octo-org/anomaly-pipeline', 'local-token');
});
afterEach(async () => {
  await github.stop();
});

const vars = {
  STACK_NAME,
  AWS_REGION: 'us-east-1',
  AWS_DRIFT_ROLE_ARN: 'arn:aws:iam::123456789012:role/anomaly-detection-drift',
  AWS_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/anomaly-detection-deploy',
  AWS_CFN_EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/anomaly-detection-cfn-exec',
};
const job = (name: 'drift' | 'revert'): Promise<JobRun> =>
  runJob({
    workflow: 'drift.yml',
    job: name,
    vars,
    eventName: name === 'revert' ? 'workflow_dispatch' : 'schedule',
    inputs: { revert: name === 'revert' ? 'staging' : 'none' },
    env: { ...emulatorEnvironment(emulator.proxy.endpoint), GITHUB_API_URL: github.apiUrl },
  });
const step = (run: JobRun, uses: string) => run.steps.find((s) => s.uses === uses);

describe('drift.yml on the emulator, with a fake GitHub API', () => {
  it('reports the hand changes, keeps one issue through two runs, reverts through the change set, then closes the issue', async () => {
    // Prepare: the stack as deployed, then two properties changed by hand
    await deployedStack();
    await changeBehindTheStacksBack(motoEndpoint(), HAND_CHANGES);

    // Act 1: the daily drift job
    const first = await job('drift');
    const detect = step(first, './actions/cfn-drift');
    expect(detect?.status).toBe('succeeded');
    expect(detect?.outputs.status).toBe('DRIFTED');
    expect(detect?.summary).toContain(
      '| ReadingStream | AWS::Kinesis::Stream | MODIFIED | `/RetentionPeriodHours` | `168` → `240` | NOT_EQUAL |',
    );
    expect(detect?.summary).toContain(
      '| DetectorFunction | AWS::Lambda::Function | MODIFIED | `/Timeout` | `60` → `120` | NOT_EQUAL |',
    );
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]).toMatchObject({ state: 'open', labels: ['drift'] });
    expect(github.issues[0]?.body).toContain('`168` → `240`');

    // Act 2: the next day, still drifted: the same issue is updated
    const second = await job('drift');
    expect(step(second, './actions/cfn-drift')?.outputs.status).toBe('DRIFTED');
    expect(github.issues).toHaveLength(1);
    expect(github.requests).toContain('PATCH /repos/octo-org/anomaly-pipeline/issues/1');

    // Act 3: the revert job (in the staging environment, behind its reviewers)
    const revert = await job('revert');
    const deploy = step(revert, './actions/cfn-deploy');
    expect(deploy?.inputs['deployment-mode']).toBe('REVERT_DRIFT');
    expect(deploy?.status).toBe('succeeded');
    expect(deploy?.summary).toContain(
      '| ReadingStream | `/RetentionPeriodHours` | `240` → `168` |',
    );

    // Act 4: the next drift run finds the stack in sync and closes the issue
    const third = await job('drift');
    expect(step(third, './actions/cfn-drift')?.outputs.status).toBe('IN_SYNC');
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(github.issues[0]?.comments[0]).toMatch(/^Stack `anomaly-detection` is back in sync/);
  });
});
