import {
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { run } from '../../../actions/codedeploy-push/src/main';
import { answerLikeAHealthyGroup, codedeploy, deps, targets } from './push-harness';

answerLikeAHealthyGroup();

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
