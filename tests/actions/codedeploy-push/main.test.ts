import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  type LifecycleEventStatus,
} from '@aws-sdk/client-codedeploy';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { run, type CodeDeployPushDeps } from '../../../actions/codedeploy-push/src/main';
import { fakeIO } from '../../support/fake-io';
import { repoRoot } from '../../../local-pipeline/tools';

const codedeploy = mockClient(CodeDeployClient);
const s3 = mockClient(S3Client);

function deps(inputs: Record<string, string> = {}) {
  let now = 0;
  const sleeps: number[] = [];
  const io = fakeIO({
    application: 'app',
    'deployment-group': 'group',
    's3-bucket': 'artifacts',
    revision: 'tests/actions/codedeploy-push/fixture',
    ...inputs,
  });
  const value: CodeDeployPushDeps = {
    io,
    codedeploy: new CodeDeployClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    clock: { now: () => now, sleep: (ms) => ((now += ms), sleeps.push(ms), Promise.resolve()) },
    run: {
      sha: 'abc',
      runUrl: 'https://run',
      repository: 'o/r',
      eventName: 'push',
      pullRequestNumber: undefined,
    },
    workspace: repoRoot,
  };
  return { io, value, sleeps };
}

const target = (status: LifecycleEventStatus) => ({
  deploymentTargets: [
    {
      instanceTarget: {
        targetId: 'i-1',
        lifecycleEvents: [{ lifecycleEventName: 'BeforeInstall', status }],
      },
    },
  ],
});

beforeEach(() => {
  codedeploy.reset();
  s3.reset();
  s3.on(HeadObjectCommand).rejects(Object.assign(new Error('not found'), { name: 'NotFound' }));
  s3.on(PutObjectCommand).resolves({});
  codedeploy.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: {} });
  codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEW' });
  codedeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['i-1'] });
  codedeploy.on(BatchGetDeploymentTargetsCommand).resolves(target('Succeeded'));
  codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Succeeded' } });
});

describe('codedeploy-push', () => {
  it('waits out a deployment already in progress before deploying', async () => {
    codedeploy
      .on(GetDeploymentGroupCommand)
      .resolvesOnce({
        deploymentGroupInfo: {
          lastAttemptedDeployment: { deploymentId: 'd-OLD', status: 'InProgress' },
        },
      })
      .resolves({ deploymentGroupInfo: {} });
    codedeploy
      .on(GetDeploymentCommand, { deploymentId: 'd-OLD' })
      .resolvesOnce({ deploymentInfo: { status: 'InProgress' } })
      .resolves({ deploymentInfo: { status: 'Succeeded' } });
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    const order = codedeploy
      .calls()
      .map((call) => (call.args[0].constructor as { name: string }).name);
    expect(order.indexOf('CreateDeploymentCommand')).toBeGreaterThan(
      order.lastIndexOf('GetDeploymentGroupCommand'),
    );
    expect(codedeploy.commandCalls(GetDeploymentCommand, { deploymentId: 'd-OLD' })).toHaveLength(
      2,
    );
    expect(io.outputs).toMatchObject({
      'deployment-id': 'd-NEW',
      status: 'Succeeded',
      changed: 'true',
    });
  });

  it("retries when a new instance's agent is not ready yet (failed before any hook ran)", async () => {
    codedeploy
      .on(CreateDeploymentCommand)
      .resolvesOnce({ deploymentId: 'd-1' })
      .resolves({ deploymentId: 'd-2' });
    codedeploy.on(GetDeploymentCommand, { deploymentId: 'd-1' }).resolves({
      deploymentInfo: {
        status: 'Failed',
        errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'too many instances failed' },
      },
    });
    codedeploy
      .on(BatchGetDeploymentTargetsCommand, { deploymentId: 'd-1' })
      .resolves(target('Skipped'));
    const { io, value, sleeps } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(2);
    expect(sleeps).toContain(30_000);
    expect(io.annotations[0]?.message).toMatch(/agent may still be starting/);
    expect(io.outputs['deployment-id']).toBe('d-2');
  });

  it('fails at the timeout with the deployment still running, saying so', async () => {
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'InProgress' } });
    codedeploy.on(BatchGetDeploymentTargetsCommand).resolves(target('InProgress'));
    const { io, value } = deps({ 'timeout-minutes': '1' });
    await run(value);
    expect(io.failures).toEqual([
      'Deployment d-NEW is still InProgress after 1 minute(s) (timeout-minutes); CodeDeploy goes on.',
    ]);
  });

  it('does not wait when wait is false', async () => {
    const { io, value } = deps({ wait: 'false' });
    await run(value);
    expect(io.outputs).toMatchObject({ status: 'Created', changed: 'true' });
    expect(codedeploy.commandCalls(GetDeploymentCommand)).toHaveLength(0);
  });

  it('names the group when it does not exist', async () => {
    codedeploy.on(GetDeploymentGroupCommand).rejects(
      Object.assign(new Error('No Deployment Group found for name: group'), {
        name: 'DeploymentGroupDoesNotExistException',
      }),
    );
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([
      'could not read deployment group group of application app: DeploymentGroupDoesNotExistException: No Deployment Group found for name: group',
    ]);
  });
});
