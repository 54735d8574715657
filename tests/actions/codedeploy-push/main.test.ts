import {
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { run } from '../../../actions/codedeploy-push/src/main';
import { answerLikeAHealthyGroup, codedeploy, deps, s3, target } from './main-harness';

// Deploying the fixture revision: waiting, retrying, the deploy options and a failure (the
// group's targets and instances, and whether to deploy again: main-targets.test.ts).
answerLikeAHealthyGroup();

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
