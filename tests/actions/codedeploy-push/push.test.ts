import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  type LifecycleEvent,
} from '@aws-sdk/client-codedeploy';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { run, type CodeDeployPushDeps } from '../../../actions/codedeploy-push/src/main';
import { deterministicZip, directoryEntries, sha256Hex } from '../../../actions/shared/zip';
import { fakeIO } from '../../support/fake-io';

// The action as a workflow runs it on a revision folder of its own: the requests it sends,
// what it logs, its outputs, annotations and job summary. The clock moves only when it sleeps.
const codedeploy = mockClient(CodeDeployClient);
const s3 = mockClient(S3Client);
const ec2 = mockClient(EC2Client);

/** A revision folder with an appspec whose hook exists; returns the workspace. */
function workspaceWithRevision(appspec = 'version: 0.0\nos: linux\n'): string {
  const workspace = mkdtempSync(join(tmpdir(), 'codedeploy-push-'));
  mkdirSync(join(workspace, 'rev', 'scripts'), { recursive: true });
  writeFileSync(join(workspace, 'rev', 'appspec.yml'), appspec);
  writeFileSync(join(workspace, 'rev', 'scripts', 'start.sh'), '#!/bin/sh\n');
  return workspace;
}

function deps(inputs: Record<string, string> = {}, workspace = workspaceWithRevision()) {
  let now = 0;
  const sleeps: number[] = [];
  const io = fakeIO({
    application: 'app',
    'deployment-group': 'group',
    's3-bucket': 'artifacts',
    revision: 'rev',
    ...inputs,
  });
  const value: CodeDeployPushDeps = {
    io,
    codedeploy: new CodeDeployClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    ec2: new EC2Client({ region: 'us-east-1' }),
    clock: { now: () => now, sleep: (ms) => ((now += ms), sleeps.push(ms), Promise.resolve()) },
    run: {
      sha: '0123456789abcdef0123456789abcdef01234567',
      runUrl: 'https://github.com/o/r/actions/runs/1',
      repository: 'o/r',
      eventName: 'push',
      pullRequestNumber: undefined,
    },
    workspace,
  };
  const key = `codedeploy/app/${sha256Hex(deterministicZip(directoryEntries(join(workspace, 'rev'))))}.zip`;
  return { io, value, sleeps, key, workspace };
}

const targets = (...events: LifecycleEvent[]) => ({
  deploymentTargets: [{ instanceTarget: { targetId: 'i-1', lifecycleEvents: events } }],
});
const notFound = Object.assign(new Error('not found'), { name: 'NotFound' });

beforeEach(() => {
  codedeploy.reset();
  s3.reset();
  ec2.reset();
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
  s3.on(HeadObjectCommand).rejects(notFound);
  s3.on(PutObjectCommand).resolves({});
  codedeploy.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: {} });
  codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEW' });
  codedeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['i-1'] });
  codedeploy.on(BatchGetDeploymentTargetsCommand).resolves(targets());
  codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Succeeded' } });
});

describe('codedeploy-push deploying a revision', () => {
  it('uploads the revision under its hash, deploys it, logs each hook as it changes and reports every hook', async () => {
    // Prepare: BeforeInstall runs over two polls, then everything has succeeded.
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    codedeploy
      .on(BatchGetDeploymentTargetsCommand)
      .resolvesOnce(
        targets(
          { lifecycleEventName: 'BeforeInstall', status: 'InProgress' },
          { lifecycleEventName: 'ApplicationStart', status: 'Pending' },
        ),
      )
      .resolvesOnce(
        targets(
          { lifecycleEventName: 'BeforeInstall', status: 'InProgress' },
          { lifecycleEventName: 'ApplicationStart', status: 'Pending' },
        ),
      )
      .resolves(
        targets(
          {
            lifecycleEventName: 'BeforeInstall',
            status: 'Succeeded',
            startTime: at(0),
            endTime: at(3),
            diagnostics: { scriptName: 'scripts/start.sh', message: 'ok' },
          },
          { lifecycleEventName: 'ApplicationStart', status: 'Succeeded', startTime: at(3) },
          { lifecycleEventName: 'ValidateService' },
        ),
      );
    codedeploy
      .on(GetDeploymentCommand)
      .resolvesOnce({ deploymentInfo: { status: 'Created' } })
      .resolvesOnce({ deploymentInfo: {} })
      .resolves({ deploymentInfo: { status: 'Succeeded' } });
    const { io, value, key, sleeps } = deps();

    // Act
    await run(value);

    // Assess
    expect(io.failures).toEqual([]);
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ Bucket: 'artifacts', Key: key, ContentType: 'application/zip' });
    expect(s3.commandCalls(HeadObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: 'artifacts',
      Key: key,
    });
    expect(codedeploy.commandCalls(CreateDeploymentCommand)[0]!.args[0].input).toEqual({
      applicationName: 'app',
      deploymentGroupName: 'group',
      revision: {
        revisionType: 'S3',
        s3Location: { bucket: 'artifacts', key, bundleType: 'zip' },
      },
      description: '0123456789ab https://github.com/o/r/actions/runs/1',
      fileExistsBehavior: 'OVERWRITE',
      ignoreApplicationStopFailures: false,
    });
    expect(sleeps).toEqual([1000, 2000]);
    expect(io.logs.filter((line) => line.startsWith('i-1') || line.startsWith('Created'))).toEqual([
      'Created deployment d-NEW.',
      'i-1 BeforeInstall: InProgress',
      'i-1 BeforeInstall: Succeeded',
      'i-1 ApplicationStart: Succeeded',
    ]);
    expect(io.logs[0]).toMatch(
      new RegExp(`^Revision rev/: \\d+ bytes → s3://artifacts/${key.replace(/[./]/g, '\\$&')}$`),
    );
    expect(io.outputs).toEqual({ 'deployment-id': 'd-NEW', status: 'Succeeded', changed: 'true' });
    expect(io.summaryText()).toBe(
      [
        '## ✅ CodeDeploy app/group: Succeeded',
        '',
        `Deployment \`d-NEW\` · revision \`s3://artifacts/${key}\` · 3s`,
        '',
        '',
        '| Instance | Lifecycle event | Status | Took | Script | Error |',
        '| --- | --- | --- | --- | --- | --- |',
        '| i-1 | BeforeInstall | Succeeded | 3s | scripts/start.sh |  |',
        '| i-1 | ApplicationStart | Succeeded |  |  |  |',
        '| i-1 | ValidateService |  |  |  |  |',
        '',
      ].join('\n'),
    );
  });

  it('polls after 1, 2, 3 s and then every 5 s', async () => {
    codedeploy
      .on(GetDeploymentCommand)
      .resolvesOnce({ deploymentInfo: { status: 'Queued' } })
      .resolvesOnce({ deploymentInfo: { status: 'Ready' } })
      .resolvesOnce({ deploymentInfo: { status: 'Baking' } })
      .resolvesOnce({ deploymentInfo: { status: 'InProgress' } })
      .resolvesOnce({ deploymentInfo: { status: 'InProgress' } })
      .resolves({ deploymentInfo: { status: 'Succeeded' } });
    const { io, value, sleeps } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(sleeps).toEqual([1000, 2000, 3000, 5000, 5000]);
  });

  it('uploads nothing when the bucket already holds the revision', async () => {
    s3.on(HeadObjectCommand).resolves({});
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
  });

  it('takes NoSuchKey as absent too', async () => {
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('x'), { name: 'NoSuchKey' }));
    const { value } = deps();
    await run(value);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
  });

  it('fails naming the object when the bucket cannot be checked', async () => {
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'Forbidden' }));
    const { io, value, key } = deps();
    await run(value);
    expect(io.failures).toEqual([`could not check s3://artifacts/${key}: Forbidden: denied`]);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });

  it('fails naming the object when the upload is refused', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const { io, value, key } = deps();
    await run(value);
    expect(io.failures).toEqual([
      `could not upload the revision to s3://artifacts/${key}: AccessDenied: denied`,
    ]);
  });

  it('fails with context when the deployment cannot be created or has no id', async () => {
    codedeploy
      .on(CreateDeploymentCommand)
      .rejectsOnce(Object.assign(new Error('busy'), { name: 'DeploymentLimitExceededException' }))
      .resolves({});
    const first = deps();
    await run(first.value);
    expect(first.io.failures).toEqual([
      'could not create a deployment in app/group: DeploymentLimitExceededException: busy',
    ]);
    const second = deps();
    await run(second.value);
    expect(second.io.failures).toEqual([
      'Unexpected failure: CodeDeploy returned no deployment id',
    ]);
  });

  it('reports a deployment created without waiting', async () => {
    const { io, value, key } = deps({ wait: 'false' });
    await run(value);
    expect(io.summaryText()).toBe(
      [
        '## ✅ CodeDeploy app/group: Created',
        '',
        `Deployment \`d-NEW\` · revision \`s3://artifacts/${key}\` · 0s`,
        '',
        '',
        '',
        '',
      ].join('\n'),
    );
  });

  it('reports a revision already on every instance as unchanged, uploading nothing', async () => {
    const { io, value, key } = deps();
    codedeploy.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: {
        lastAttemptedDeployment: { deploymentId: 'd-LAST', status: 'Succeeded' },
        lastSuccessfulDeployment: { deploymentId: 'd-LAST' },
        targetRevision: { s3Location: { key } },
      },
    });
    await run(value);
    expect(s3.calls()).toHaveLength(0);
    expect(io.outputs).toEqual({
      'deployment-id': 'd-LAST',
      status: 'Succeeded',
      changed: 'false',
    });
    expect(io.logs).toContain(
      'Deployment group group already runs this revision on every instance (deployment d-LAST): nothing to deploy.',
    );
    expect(io.summaryText()).toBe(
      [
        '## ✅ CodeDeploy app/group: unchanged',
        '',
        `Already deployed by \`d-LAST\` · revision \`s3://artifacts/${key}\` · 0s`,
        '',
        "_The group's last successful deployment used this exact revision and reached every instance the group has: nothing was uploaded or deployed._",
        '',
        '',
      ].join('\n'),
    );
  });

  it('deploys when the last successful deployment was of another revision', async () => {
    codedeploy.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: {
        lastSuccessfulDeployment: { deploymentId: 'd-LAST' },
        targetRevision: { s3Location: { key: 'codedeploy/app/other.zip' } },
      },
    });
    const { io, value } = deps();
    await run(value);
    expect(io.outputs.changed).toBe('true');
    expect(ec2.calls()).toHaveLength(0);
  });

  it('logs the deployment it waits out first', async () => {
    codedeploy
      .on(GetDeploymentGroupCommand)
      .resolvesOnce({
        deploymentGroupInfo: {
          lastAttemptedDeployment: { deploymentId: 'd-OLD', status: 'Queued' },
        },
      })
      .resolves({ deploymentGroupInfo: {} });
    const { io, value } = deps();
    await run(value);
    expect(io.logs).toContain('Deployment d-OLD is Queued; waiting for it to finish first.');
    expect(codedeploy.commandCalls(GetDeploymentGroupCommand)).toHaveLength(2);
  });

  it('does not wait for a last attempt without a status', async () => {
    codedeploy.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: { lastAttemptedDeployment: { deploymentId: 'd-OLD' } },
    });
    const { value } = deps();
    await run(value);
    expect(codedeploy.commandCalls(GetDeploymentGroupCommand)).toHaveLength(1);
    expect(codedeploy.commandCalls(GetDeploymentCommand, { deploymentId: 'd-OLD' })).toHaveLength(
      0,
    );
  });
});

describe('codedeploy-push failing deployments', () => {
  it('annotates a failed hook on its script with the log tail, fails naming it and reports the error', async () => {
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Failed' } });
    codedeploy.on(BatchGetDeploymentTargetsCommand).resolves(
      targets(
        { lifecycleEventName: 'BeforeInstall', status: 'Succeeded' },
        {
          lifecycleEventName: 'ApplicationStart',
          status: 'Failed',
          diagnostics: {
            errorCode: 'ScriptFailed',
            scriptName: 'scripts/start.sh',
            message: 'exit code 1',
            logTail: '\n[stderr]boom\n',
          },
        },
      ),
    );
    const { io, value } = deps();
    await run(value);
    expect(io.annotations).toEqual([
      {
        level: 'error',
        message:
          "ApplicationStart failed on i-1 (ScriptFailed): exit code 1\n\nLast lines of the script's output:\n[stderr]boom",
        properties: {
          title: 'CodeDeploy ApplicationStart failed: scripts/start.sh',
          file: 'rev/scripts/start.sh',
          startLine: 1,
        },
      },
    ]);
    expect(io.failures).toEqual([
      'Deployment d-NEW Failed: ApplicationStart (scripts/start.sh) failed on i-1. See the annotations and the job summary.',
    ]);
    expect(io.outputs).toEqual({ 'deployment-id': 'd-NEW', status: 'Failed', changed: 'true' });
    expect(io.summaryText()).toContain('## ❌ CodeDeploy app/group: Failed');
    expect(io.summaryText()).toContain(
      '| i-1 | ApplicationStart | Failed |  | scripts/start.sh | exit code 1 |',
    );
  });

  it('annotates a failed hook without diagnostics on appspec.yml', async () => {
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Stopped' } });
    codedeploy.on(BatchGetDeploymentTargetsCommand).resolves(targets({ status: 'Failed' }));
    const { io, value } = deps();
    await run(value);
    expect(io.annotations).toEqual([
      {
        level: 'error',
        message: 'A hook failed on i-1 (unknown error): ',
        properties: { title: 'CodeDeploy A hook failed: ', file: 'rev/appspec.yml', startLine: 1 },
      },
    ]);
    expect(io.failures).toEqual([
      'Deployment d-NEW Stopped:  (no script) failed on i-1. See the annotations and the job summary.',
    ]);
    expect(io.summaryText()).toContain('## ❌ CodeDeploy app/group: Stopped');
  });

  it("gives CodeDeploy's reason when no hook failed, and does not retry once a hook ran", async () => {
    codedeploy.on(GetDeploymentCommand).resolves({
      deploymentInfo: { status: 'Failed', errorInformation: { message: 'too many failed' } },
    });
    codedeploy
      .on(BatchGetDeploymentTargetsCommand)
      .resolves(targets({ lifecycleEventName: 'BeforeInstall', status: 'Succeeded' }));
    const { io, value } = deps();
    await run(value);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
    expect(io.failures).toEqual([
      'Deployment d-NEW Failed: too many failed. See the annotations and the job summary.',
    ]);
  });

  it('retries while no hook ran on any instance, saying why, until the retry would pass the timeout', async () => {
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Failed' } });
    codedeploy
      .on(BatchGetDeploymentTargetsCommand)
      .resolves(
        targets(
          { lifecycleEventName: 'BeforeInstall', status: 'Skipped' },
          { lifecycleEventName: 'Install', status: 'Unknown' },
          { lifecycleEventName: 'ApplicationStart', status: 'Pending' },
          { lifecycleEventName: 'ValidateService' },
        ),
      );
    const { io, value, sleeps } = deps({ 'timeout-minutes': '1' });
    await run(value);
    expect(sleeps).toEqual([30_000]);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(2);
    expect(io.annotations).toEqual([
      {
        level: 'warning',
        message:
          "Deployment d-NEW found no instance ready (no hook ran): a new instance's CodeDeploy agent may still be starting. Retrying in 30s.",
        properties: undefined,
      },
    ]);
    expect(io.failures).toEqual([
      'Deployment d-NEW Failed: no detail given. See the annotations and the job summary.',
    ]);
  });

  it('says the deployment is still in progress at the timeout when CodeDeploy gives no status', async () => {
    codedeploy.on(GetDeploymentCommand).resolves({});
    const { io, value } = deps({ 'timeout-minutes': '1' });
    await run(value);
    expect(io.failures).toEqual([
      'Deployment d-NEW is still in progress after 1 minute(s) (timeout-minutes); CodeDeploy goes on.',
    ]);
  });

  it.each([
    [GetDeploymentCommand, 'could not read deployment d-NEW: ThrottlingException: slow'],
    [
      ListDeploymentTargetsCommand,
      'could not list the targets of deployment d-NEW: ThrottlingException: slow',
    ],
    [
      BatchGetDeploymentTargetsCommand,
      'could not read the targets of deployment d-NEW: ThrottlingException: slow',
    ],
  ])('fails with context when %p is refused', async (command, message) => {
    codedeploy
      .on(command as typeof GetDeploymentCommand)
      .rejects(Object.assign(new Error('slow'), { name: 'ThrottlingException' }));
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([message]);
  });
});
