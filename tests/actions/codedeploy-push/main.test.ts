import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  type LifecycleEventStatus,
} from '@aws-sdk/client-codedeploy';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { packRevision } from '../../../actions/codedeploy-push/src/deploy';
import { getInputs } from '../../../actions/codedeploy-push/src/inputs';
import { run, type CodeDeployPushDeps } from '../../../actions/codedeploy-push/src/main';
import { fakeIO } from '../../support/fake-io';
import { repoRoot } from '../../../local-pipeline/emulator/tools';

const codedeploy = mockClient(CodeDeployClient);
const s3 = mockClient(S3Client);
const ec2 = mockClient(EC2Client);

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
    ec2: new EC2Client({ region: 'us-east-1' }),
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
  ec2.reset();
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
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

describe('codedeploy-push deploy options', () => {
  it('sends the deployment configuration, file-exists behaviour, ApplicationStop choice and description given', async () => {
    const { io, value } = deps({
      'deployment-config-name': 'CodeDeployDefault.OneAtATime',
      'ignore-application-stop-failures': 'true',
      'file-exists-behavior': 'retain',
      description: 'hotfix for the stop script',
    });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)[0]?.args[0].input).toMatchObject({
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      ignoreApplicationStopFailures: true,
      fileExistsBehavior: 'RETAIN',
      description: 'hotfix for the stop script',
    });
  });

  it("leaves the group's deployment configuration alone and describes the run by default", async () => {
    const { value } = deps();
    await run(value);
    const input = codedeploy.commandCalls(CreateDeploymentCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      ignoreApplicationStopFailures: false,
      fileExistsBehavior: 'OVERWRITE',
      description: 'abc https://run',
    });
    expect(input).not.toHaveProperty('deploymentConfigName');
  });

  it.each([
    [
      'deployment-config-name',
      'Code Deploy/All',
      'Input "deployment-config-name": "Code Deploy/All" is not a deployment configuration name (1-100 of A-Z a-z 0-9 _ . + @ -, e.g. CodeDeployDefault.AllAtOnce).',
    ],
    [
      'ignore-application-stop-failures',
      'sometimes',
      'Input "ignore-application-stop-failures" must be true or false, not "sometimes".',
    ],
    [
      'file-exists-behavior',
      'REPLACE',
      'Input "file-exists-behavior" must be one of DISALLOW, OVERWRITE, RETAIN, not "REPLACE".',
    ],
  ])('rejects %s "%s" before any AWS call', async (input, given, message) => {
    const { io, value } = deps({ [input]: given });
    await run(value);
    expect(io.failures).toEqual([message]);
    expect(codedeploy.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('codedeploy-push targets and instances', () => {
  it('reads every target of a deployment, past 25 and across pages', async () => {
    const ids = Array.from({ length: 30 }, (_, index) => `i-${String(index).padStart(2, '0')}`);
    codedeploy
      .on(ListDeploymentTargetsCommand)
      .resolvesOnce({ targetIds: ids.slice(0, 20), nextToken: 'page-2' })
      .resolves({ targetIds: ids.slice(20) });
    codedeploy.on(BatchGetDeploymentTargetsCommand).callsFake((input: { targetIds: string[] }) => ({
      deploymentTargets: input.targetIds.map((targetId) => ({
        instanceTarget: { targetId, status: 'Succeeded', lifecycleEvents: [] },
      })),
    }));
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(codedeploy.commandCalls(ListDeploymentTargetsCommand)[1]?.args[0].input).toMatchObject({
      nextToken: 'page-2',
    });
    expect(
      codedeploy
        .commandCalls(BatchGetDeploymentTargetsCommand)
        .map((call) => call.args[0].input.targetIds),
    ).toEqual([ids.slice(0, 25), ids.slice(25)]);
  });

  function groupThatRan(deploymentId: string, targetIds: string[]) {
    const { value } = deps();
    const { key } = packRevision(getInputs(value.io, value.workspace));
    codedeploy.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: {
        lastSuccessfulDeployment: { deploymentId, status: 'Succeeded' },
        targetRevision: { revisionType: 'S3', s3Location: { bucket: 'artifacts', key } },
        ec2TagFilters: [{ Key: 'Role', Value: 'producer', Type: 'KEY_AND_VALUE' }],
      },
    });
    codedeploy.on(ListDeploymentTargetsCommand, { deploymentId }).resolves({ targetIds });
    codedeploy.on(BatchGetDeploymentTargetsCommand, { deploymentId }).resolves({
      deploymentTargets: targetIds.map((targetId) => ({
        instanceTarget: { targetId, status: 'Succeeded', lifecycleEvents: [] },
      })),
    });
  }
  const instances = (...ids: string[]) => ({
    Reservations: [{ Instances: ids.map((InstanceId) => ({ InstanceId })) }],
  });

  it("skips when the group's last deployment of this revision reached every instance it has", async () => {
    groupThatRan('d-LAST', ['i-1']);
    ec2.on(DescribeInstancesCommand).resolves(instances('i-1'));
    const { io, value } = deps();
    await run(value);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    expect(io.outputs).toMatchObject({ changed: 'false', 'deployment-id': 'd-LAST' });
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: 'tag:Role', Values: ['producer'] },
      { Name: 'instance-state-name', Values: ['pending', 'running'] },
    ]);
  });

  it('deploys the same revision again when an instance of the group never got it (replaced)', async () => {
    groupThatRan('d-LAST', ['i-old']);
    ec2.on(DescribeInstancesCommand).resolves(instances('i-new'));
    const { io, value } = deps();
    await run(value);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
    expect(io.outputs).toMatchObject({ changed: 'true', 'deployment-id': 'd-NEW' });
    expect(io.logs).toContain(
      'Deployment group group last deployed this revision in d-LAST, but i-new did not get it (a new or replaced instance): deploying it again.',
    );
  });
});

describe('codedeploy-push failures', () => {
  it("says an ApplicationStop failure ran the previous revision's script, and how to get past it", async () => {
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Failed' } });
    codedeploy.on(BatchGetDeploymentTargetsCommand).resolves({
      deploymentTargets: [
        {
          instanceTarget: {
            targetId: 'i-1',
            lifecycleEvents: [
              {
                lifecycleEventName: 'ApplicationStop',
                status: 'Failed',
                diagnostics: {
                  errorCode: 'ScriptFailed',
                  scriptName: 'scripts/application_stop.sh',
                  message:
                    'Script at specified location: scripts/application_stop.sh run as user root failed with exit code 1',
                  logTail: '[stderr]systemctl: unit not found',
                },
              },
            ],
          },
        },
      ],
    });
    const { io, value } = deps();
    await run(value);
    const annotation = io.annotations.find((candidate) => candidate.level === 'error');
    expect(annotation?.properties?.title).toBe(
      "CodeDeploy ApplicationStop failed: scripts/application_stop.sh (the previous revision's script)",
    );
    expect(annotation?.message).toContain(
      "The script that failed is the previous revision's copy, from the last deployment whose Install succeeded on i-1",
    );
    expect(annotation?.message).toContain('`ignore-application-stop-failures: true`');
    expect(io.failures[0]).toMatch(
      /^Deployment d-NEW Failed: ApplicationStop \(scripts\/application_stop\.sh\) failed on i-1/,
    );
  });
});
