import {
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { run } from '../../../actions/codedeploy-push/src/main';
import { answerLikeAHealthyGroup, codedeploy, deps, ec2, s3, targets } from './push-harness';

answerLikeAHealthyGroup();

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
