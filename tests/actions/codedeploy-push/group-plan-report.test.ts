import {
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  type EC2TagFilter,
} from '@aws-sdk/client-codedeploy';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { run } from '../../../actions/codedeploy-push/src/main';
import { deploymentTargets } from '../../../actions/codedeploy-push/src/targets';
import { answerLikeAHealthyGroup, codedeploy, deps, ec2, targets } from './push-harness';

// The plan (the group asked for, its last revision compared), the EC2 requests that find the
// group's instances, targets that are not EC2 instances, and the summary's and annotations' text.
answerLikeAHealthyGroup();

const running = { Name: 'instance-state-name', Values: ['pending', 'running'] };
const filtersSent = () =>
  ec2.commandCalls(DescribeInstancesCommand).map((call) => call.args[0].input.Filters);

describe('codedeploy-push planning', () => {
  it('asks CodeDeploy for the deployment group by application and group name', async () => {
    const { value } = deps();
    await run(value);
    expect(codedeploy.commandCalls(GetDeploymentGroupCommand)[0]?.args[0].input).toEqual({
      applicationName: 'app',
      deploymentGroupName: 'group',
    });
  });

  it.each([
    ['records no revision', {}],
    [
      'records a revision that is not in S3',
      { targetRevision: { revisionType: 'GitHub' as const } },
    ],
  ])('deploys when the group %s for its last deployment', async (_, group) => {
    codedeploy.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: { lastSuccessfulDeployment: { deploymentId: 'd-LAST' }, ...group },
    });
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs).toMatchObject({ 'deployment-id': 'd-NEW', changed: 'true' });
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe("codedeploy-push finding the group's instances by its tags", () => {
  /** The group last deployed this revision in d-LAST, which reached i-1. */
  function groupThatRan(key: string, tags: object) {
    codedeploy.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: {
        lastSuccessfulDeployment: { deploymentId: 'd-LAST' },
        targetRevision: { s3Location: { key } },
        ...tags,
      },
    });
    codedeploy.on(BatchGetDeploymentTargetsCommand, { deploymentId: 'd-LAST' }).resolves({
      deploymentTargets: [{ instanceTarget: { targetId: 'i-1', status: 'Succeeded' } }],
    });
  }

  it('asks once per filter of a tag set, and takes the instances every list matches', async () => {
    const { io, value, key } = deps();
    groupThatRan(key, {
      ec2TagSet: {
        ec2TagSetList: [
          [{ Key: 'Role', Type: 'KEY_ONLY' }],
          [{ Key: 'Env', Value: 'prod', Type: 'KEY_AND_VALUE' }],
        ],
      },
    });
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({
        Reservations: [{ Instances: [{ InstanceId: 'i-1' }, { InstanceId: 'i-2' }] }],
      })
      .resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-1' }] }] });
    await run(value);
    expect(filtersSent()).toEqual([
      [{ Name: 'tag-key', Values: ['Role'] }, running],
      [{ Name: 'tag:Env', Values: ['prod'] }, running],
    ]);
    expect(io.outputs).toMatchObject({ 'deployment-id': 'd-LAST', changed: 'false' });
  });

  it('sends an empty key or value for a tag filter that gives none', async () => {
    const { value, key } = deps();
    const ec2TagFilters: EC2TagFilter[] = [
      { Type: 'KEY_ONLY' },
      { Type: 'VALUE_ONLY' },
      { Type: 'KEY_AND_VALUE' },
    ];
    groupThatRan(key, { ec2TagFilters });
    await run(value);
    expect(filtersSent()).toEqual([
      [{ Name: 'tag-key', Values: [''] }, running],
      [{ Name: 'tag-value', Values: [''] }, running],
      [{ Name: 'tag:', Values: [''] }, running],
    ]);
  });
});

describe('codedeploy-push deployment targets that are not EC2 instances', () => {
  it('reads ECS and other targets with no lifecycle events, and an answer without targets as none', async () => {
    codedeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['i-1', 'ecs-1', 'fn-1'] });
    codedeploy
      .on(BatchGetDeploymentTargetsCommand)
      .resolvesOnce({
        deploymentTargets: [
          { instanceTarget: { targetId: 'i-1', status: 'Succeeded', lifecycleEvents: [] } },
          { ecsTarget: { targetId: 'ecs-1', status: 'Failed' } },
          { lambdaTarget: { targetId: 'fn-1', status: 'Succeeded' } },
        ],
      })
      .resolves({});
    const { value } = deps();
    expect(await deploymentTargets(value, 'd-1')).toEqual([
      { targetId: 'i-1', status: 'Succeeded', events: [] },
      { targetId: 'ecs-1', status: 'Failed', events: [] },
      { targetId: '?', status: undefined, events: [] },
    ]);
    expect(await deploymentTargets(value, 'd-2')).toEqual([]);
  });

  it('lists no lifecycle events in the summary for a target that is not an instance', async () => {
    codedeploy
      .on(BatchGetDeploymentTargetsCommand)
      .resolves({ deploymentTargets: [{ ecsTarget: { targetId: 'ecs-1', status: 'Succeeded' } }] });
    const { io, value, key } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.summaryText()).toBe(
      [
        '## ✅ CodeDeploy app/group: Succeeded',
        '',
        `Deployment \`d-NEW\` · revision \`s3://artifacts/${key}\` · 0s`,
        '',
        '',
        '',
        '',
      ].join('\n'),
    );
  });
});

describe('codedeploy-push summary and annotation text', () => {
  it('gives the time the step took, from a clock that does not start at zero', async () => {
    codedeploy
      .on(GetDeploymentCommand)
      .resolvesOnce({ deploymentInfo: { status: 'InProgress' } })
      .resolves({ deploymentInfo: { status: 'Succeeded' } });
    const { io, value, key } = deps();
    let now = Date.UTC(2026, 0, 1);
    const clock = { now: () => now, sleep: (ms: number) => ((now += ms), Promise.resolve()) };
    await run({ ...value, clock });
    expect(io.summaryText()).toContain(
      `Deployment \`d-NEW\` · revision \`s3://artifacts/${key}\` · 1s`,
    );
  });

  it("explains in full why an ApplicationStop failure is the previous revision's script", async () => {
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Failed' } });
    codedeploy.on(BatchGetDeploymentTargetsCommand).resolves(
      targets({
        lifecycleEventName: 'ApplicationStop',
        status: 'Failed',
        diagnostics: { errorCode: 'ScriptFailed', scriptName: 'stop.sh', message: 'exit 1' },
      }),
    );
    const { io, value } = deps();
    await run(value);
    expect(io.annotations.map((annotation) => annotation.message)).toEqual([
      'ApplicationStop failed on i-1 (ScriptFailed): exit 1\n\n' +
        "The script that failed is the previous revision's copy, from the last deployment whose Install succeeded on i-1, " +
        "not this revision's: a fix in this revision takes effect only once it is installed. " +
        'To get past it, deploy once with `ignore-application-stop-failures: true` (this revision then ' +
        'installs, and its own script runs from the next deployment on), or fix or remove the old script on the instance.',
    ]);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
  });
});
