import {
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { followDeployment } from '../../../actions/codedeploy-push/src/follow';
import { run } from '../../../actions/codedeploy-push/src/main';
import { answerLikeAHealthyGroup, codedeploy, deps, targets } from './push-harness';

// Following a deployment: the progress lines, when the polling stops, and whether a failed
// deployment is retried (no hook ran anywhere: an agent not up yet) or reported.
answerLikeAHealthyGroup();

describe('codedeploy-push following a deployment', () => {
  it('stops polling exactly at the deadline, saying the deployment is still running', async () => {
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'InProgress' } });
    const { value, sleeps } = deps();

    // Polls at 0, 1, 3 and 6 s; the deadline is 6 s.
    const following = followDeployment(value, { timeoutMinutes: 1 }, 'd-1', 6000);

    await expect(following).rejects.toThrow(
      'Deployment d-1 is still InProgress after 1 minute(s) (timeout-minutes); CodeDeploy goes on.',
    );
    expect(sleeps).toEqual([1000, 2000, 3000]);
    expect(codedeploy.commandCalls(GetDeploymentCommand)).toHaveLength(4);
  });

  it('polls once more when the deadline is a moment after a poll', async () => {
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'InProgress' } });
    const { value, sleeps } = deps();
    const following = followDeployment(value, { timeoutMinutes: 1 }, 'd-1', 6001);
    await expect(following).rejects.toThrow('Deployment d-1 is still InProgress');
    expect(sleeps).toEqual([1000, 2000, 3000, 5000]);
  });

  it('prints the target and status of a lifecycle event that has no name', async () => {
    codedeploy
      .on(BatchGetDeploymentTargetsCommand)
      .resolves(
        targets({ status: 'Succeeded' }, { lifecycleEventName: 'Install', status: 'Succeeded' }),
      );
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.logs.filter((line) => line.startsWith('i-1'))).toEqual([
      'i-1 : Succeeded',
      'i-1 Install: Succeeded',
    ]);
  });

  it('follows the deployment inside a log group named after it', async () => {
    const { io, value } = deps();
    await run(value);
    expect(io.logs).toContain('group: Deployment d-NEW');
  });
});

describe('codedeploy-push deciding whether to retry a failed deployment', () => {
  it('reports a failure without retrying once a hook ran on any one instance', async () => {
    // i-1 ran BeforeInstall (and skipped the rest); i-2 ran nothing.
    codedeploy.on(GetDeploymentCommand).resolves({
      deploymentInfo: { status: 'Failed', errorInformation: { message: 'too many failed' } },
    });
    codedeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['i-1', 'i-2'] });
    codedeploy.on(BatchGetDeploymentTargetsCommand).resolves({
      deploymentTargets: [
        {
          instanceTarget: {
            targetId: 'i-1',
            lifecycleEvents: [
              { lifecycleEventName: 'BeforeInstall', status: 'Succeeded' },
              { lifecycleEventName: 'ApplicationStart', status: 'Skipped' },
            ],
          },
        },
        {
          instanceTarget: {
            targetId: 'i-2',
            lifecycleEvents: [{ lifecycleEventName: 'BeforeInstall', status: 'Skipped' }],
          },
        },
      ],
    });
    const { io, value, sleeps } = deps();
    await run(value);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(io.annotations).toEqual([]);
    expect(io.failures).toEqual([
      'Deployment d-NEW Failed: too many failed. See the annotations and the job summary.',
    ]);
  });

  it('does not retry a deployment stopped before any hook ran: only a failed one', async () => {
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Stopped' } });
    codedeploy
      .on(BatchGetDeploymentTargetsCommand)
      .resolves(targets({ lifecycleEventName: 'BeforeInstall', status: 'Skipped' }));
    const { io, value, sleeps } = deps();
    await run(value);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(io.failures).toEqual([
      'Deployment d-NEW Stopped: no detail given. See the annotations and the job summary.',
    ]);
  });
});
