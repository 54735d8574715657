import {
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { packRevision } from '../../../actions/codedeploy-push/src/deploy';
import { getInputs } from '../../../actions/codedeploy-push/src/inputs';
import { run } from '../../../actions/codedeploy-push/src/main';
import { answerLikeAHealthyGroup, codedeploy, deps, ec2 } from './main-harness';

// The group's targets and instances: every target read, and whether the revision the group last
// got is deployed again (waiting, retrying, options and a failure: main.test.ts).
answerLikeAHealthyGroup();

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
