import {
  CreateChangeSetCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-deploy/src/main';
import { TEMPLATE, cfn, deps, stack, useCfnDeployFixtures, workspaceFile } from './fixtures';

useCfnDeployFixtures();

// Whether a run needs a change set at all: decided from the stack as deployed, with read calls only.

const TOPIC_A = 'arn:aws:sns:us-east-1:123456789012:a';
const TOPIC_B = 'arn:aws:sns:us-east-1:123456789012:b';

async function deployOver(
  deployed: Partial<Stack>,
  inputs: Record<string, string>,
  deployedTemplate = TEMPLATE,
) {
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE', deployed)] });
  cfn.on(GetTemplateCommand).resolves({ TemplateBody: deployedTemplate });
  const { io, value } = deps(inputs);
  await run(value);
  expect(io.failures).toEqual([]);
  return { io, changeSets: cfn.commandCalls(CreateChangeSetCommand).length };
}

describe('cfn-deploy decides whether anything changes', () => {
  it.each([
    ['the same override', {}, { 'parameter-overrides': 'Size=1' }, 0],
    ['another override', {}, { 'parameter-overrides': 'Size=2' }, 1],
    [
      'a parameter the deployed stack lacks',
      { Parameters: [{ ParameterKey: 'Other', ParameterValue: '1' }] },
      {},
      1,
    ],
    ['no deployed parameters at all', { Parameters: undefined }, {}, 1],
    [
      'the same tags in another order',
      {
        Tags: [
          { Key: 'b', Value: '2' },
          { Key: 'a', Value: '1' },
        ],
      },
      { tags: 'a=1\nb=2' },
      0,
    ],
    ['a changed tag value', { Tags: [{ Key: 'a', Value: '1' }] }, { tags: 'a=2' }, 1],
    ['a new tag', {}, { tags: 'a=1' }, 1],
    ['a tag to remove', { Tags: [{ Key: 'a', Value: '1' }] }, {}, 1],
    [
      'the same topics in another order',
      { NotificationARNs: [TOPIC_B, TOPIC_A] },
      { 'notification-arns': `${TOPIC_A},${TOPIC_B}` },
      0,
    ],
    [
      'the same topics given in another order',
      { NotificationARNs: [TOPIC_A, TOPIC_B] },
      { 'notification-arns': `${TOPIC_B},${TOPIC_A}` },
      0,
    ],
    ['another topic', { NotificationARNs: [TOPIC_A] }, { 'notification-arns': TOPIC_B }, 1],
    [
      'one topic more',
      { NotificationARNs: [TOPIC_A] },
      { 'notification-arns': `${TOPIC_A},${TOPIC_B}` },
      1,
    ],
    ['topics on a stack that had none', {}, { 'notification-arns': TOPIC_A }, 1],
    ['no topics given (the stack keeps its own)', { NotificationARNs: [TOPIC_A] }, {}, 0],
  ])('with %s, makes the change sets needed', async (_case, deployed, inputs, expected) => {
    const { changeSets } = await deployOver(deployed, inputs);
    expect(changeSets).toBe(expected);
  });

  it('makes a change set for a parameter the deployed stack lacks, even when every other matches', async () => {
    const body = TEMPLATE.replace(
      '"Size": { "Type": "Number", "Default": 1 }',
      '"Size": { "Type": "Number", "Default": 1 }, "Colour": { "Type": "String", "Default": "red" }',
    );
    workspaceFile('template.json', body);
    const { changeSets } = await deployOver({}, {}, body);
    expect(changeSets).toBe(1);
  });

  it('counts a nested application as resolved when it deploys', async () => {
    const body = JSON.stringify({
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: { App: { Type: 'AWS::Serverless::Application' } },
    });
    workspaceFile('template.json', body);
    const { io } = await deployOver({}, {}, body);
    expect(io.logs).toContainEqual(
      expect.stringMatching(/^The template has transforms, nested stacks: /),
    );
  });

  it('reads the template the stack was deployed from, as submitted', async () => {
    await deployOver({}, {});
    expect(cfn.commandCalls(GetTemplateCommand)[0]?.args[0].input).toEqual({
      StackName: 'app',
      TemplateStage: 'Original',
    });
  });

  it('says which values CloudFormation resolves when it deploys', async () => {
    const template = {
      Parameters: {
        Size: { Type: 'Number', Default: 1 },
        Image: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/app/image' },
      },
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: '{{resolve:ssm:/q}}' } },
        App: { Type: 'AWS::Serverless::Application' },
        Child: { Type: 'AWS::CloudFormation::Stack' },
      },
    };
    workspaceFile('template.json', JSON.stringify(template));
    const { io, changeSets } = await deployOver(
      { Parameters: [{ ParameterKey: 'Size' }, { ParameterKey: 'Image' }] },
      {},
    );
    expect(changeSets).toBe(1);
    expect(io.logs).toContain(
      'The template has SSM-typed parameter Image, dynamic references ({{resolve:…}}), transforms, nested stacks: values CloudFormation resolves when it deploys, so its change set decides whether anything changes.',
    );
  });

  it.each([
    ['Fn::Transform', '{"Fn::Transform": {"Name": "AWS::Include"}}'],
    ['!Transform', undefined],
  ])('lets the change set decide for a template using %s', async (_what, property) => {
    const body =
      property === undefined
        ? 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: !Transform { Name: AWS::Include }\n'
        : `{"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": ${property}}}}`;
    workspaceFile('template.json', body);
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: body });
    const { io, value } = deps({});
    await run(value);
    expect(io.logs).toContainEqual(expect.stringMatching(/^The template has transforms: /));
  });

  it.each([
    ['DELETE_FAILED', 'Resource Queue failed to delete', 'Resource Queue failed to delete'],
    ['UPDATE_ROLLBACK_FAILED', undefined, 'see the CloudFormation console'],
  ])('refuses to touch a stack in %s until it is repaired', async (status, reason, shown) => {
    cfn
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [stack(status, { StackStatusReason: reason })] });
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([
      `Stack app is ${status}: fix the resources named in its events (${shown}), e.g. with "continue update rollback", then run again.`,
    ]);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toEqual([]);
  });

  it('waits for another operation on the stack to finish before deciding, logging it', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE });
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.logs).toContain(
      'Stack app is UPDATE_IN_PROGRESS; waiting for that operation to finish first.',
    );
    expect(io.outputs.changed).toBe('false');
  });

  it('gives up at the timeout when another operation goes on, having changed nothing', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_IN_PROGRESS')] });
    const { io, value } = deps({ 'timeout-minutes': '1' });
    await run(value);
    expect(io.failures).toEqual([
      'Stack app is still UPDATE_IN_PROGRESS at the timeout (timeout-minutes); nothing was changed; try again later.',
    ]);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toEqual([]);
  });
});
