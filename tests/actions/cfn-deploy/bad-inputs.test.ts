import {
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-deploy/src/main';
import { cfn, deps, stack, stackMissing, useCfnDeployFixtures, workspaceFile } from './fixtures';

useCfnDeployFixtures();

// Every input mistake fails the step before any AWS call, with a message naming what is wrong.

const CHANGE_SET = 'arn:aws:cloudformation:us-east-1:123456789012:changeSet/gh-abc/1234-abcd';
const TWO_PARAMETERS =
  '{"Parameters": {"Size": {"Type": "Number"}, "Count": {"Type": "Number"}}, "Resources": {}}';
const topic = (n: number, partition = 'aws') =>
  `arn:${partition}:sns:us-east-1:123456789012:t${String(n)}`;

async function failureFor(inputs: Record<string, string>, files: Record<string, string> = {}) {
  for (const [name, body] of Object.entries(files)) workspaceFile(name, body);
  const { io, value } = deps(inputs);
  await run(value);
  expect(cfn.calls()).toHaveLength(0);
  return io.failures;
}

describe('cfn-deploy input mistakes', () => {
  it.each([
    [
      { template: 'template.json' },
      { 'template.json': '{"Parameters": {}}' },
      'Input "template": template.json is not a valid template: it has no Resources section',
    ],
    [
      { template: 'template.yaml' },
      { 'template.yaml': 'null\n' },
      'Input "template": template.yaml is not a valid template: it has no Resources section',
    ],
    [
      { template: 'template.yaml' },
      { 'template.yaml': 'Resources: 3\n' },
      'Input "template": template.yaml is not a valid template: it has no Resources section',
    ],
    [
      { template: 'template.json' },
      { 'template.json': '{"Resources": ' },
      'Input "template": template.json is not a valid template: ',
    ],
    [
      { 'parameter-overrides': 'Colour=red' },
      {},
      'Input "parameter-overrides": Colour is not a parameter of template.json (it has: Size).',
    ],
    [
      { 'parameter-overrides': 'Colour=red' },
      { 'template.json': TWO_PARAMETERS },
      'Input "parameter-overrides": Colour is not a parameter of template.json (it has: Size, Count).',
    ],
    [
      { 'parameter-overrides': 'Colour=red' },
      { 'template.json': '{"Resources": {}}' },
      'Input "parameter-overrides": Colour is not a parameter of template.json (it has: none).',
    ],
    [
      { 'parameter-overrides': '=1' },
      {},
      'Input "parameter-overrides": "=1" is not a Key=Value line (or the path of a .json, .yaml or .yml file).',
    ],
    [
      { 'parameter-overrides': 'Si-ze=1' },
      {},
      'Input "parameter-overrides": "Si-ze=1" is not a Key=Value line',
    ],
    [
      { 'parameter-overrides': 'params.txt' },
      {},
      'Input "parameter-overrides": "params.txt" is not a Key=Value line',
    ],
    [
      { 'parameter-overrides': 'settings.json.txt' },
      {},
      'Input "parameter-overrides": "settings.json.txt" is not a Key=Value line',
    ],
    [
      { 'parameter-overrides': 'p.json\nSize=2' },
      { 'p.json': '{"Size": "3"}' },
      'Input "parameter-overrides": "p.json" is not a Key=Value line',
    ],
    [
      { 'parameter-overrides': 'p.json' },
      { 'p.json': 'Size: 2\n' },
      'Input "parameter-overrides": p.json is not valid JSON.',
    ],
    [
      { template: '' },
      {},
      'Input "template": cloudformation/anomaly-detection.json does not exist.',
    ],
    [
      { 'parameter-overrides': 'missing.json' },
      {},
      'Input "parameter-overrides": the file missing.json does not exist.',
    ],
    [
      { 'parameter-overrides': 'file://missing.YML' },
      {},
      'Input "parameter-overrides": the file missing.YML does not exist.',
    ],
    [
      { 'parameter-overrides': 'p.json' },
      { 'p.json': '{"Size": ' },
      'Input "parameter-overrides": p.json is not valid JSON.',
    ],
    [
      { 'parameter-overrides': 'p.yaml' },
      { 'p.yaml': 'Size: [1\n' },
      'Input "parameter-overrides": p.yaml is not valid YAML.',
    ],
    [
      { 'parameter-overrides': 'p.json' },
      { 'p.json': '{"Size": {"a": 1}}' },
      'Input "parameter-overrides": p.json has an invalid entry for "Size" (values must be strings, numbers or booleans).',
    ],
    [
      { 'parameter-overrides': 'p.json' },
      { 'p.json': '{"Si ze": "1"}' },
      'Input "parameter-overrides": p.json has an invalid entry for "Si ze"',
    ],
    [
      { 'parameter-overrides': 'p.json' },
      { 'p.json': '[null]' },
      'Input "parameter-overrides": p.json has an invalid entry for "undefined"',
    ],
    [
      { 'parameter-overrides': 'p.json' },
      {
        'p.json':
          '[{"ParameterKey": "Size", "ParameterValue": "1"}, {"ParameterKey": "Size", "ParameterValue": "2"}]',
      },
      'Input "parameter-overrides": p.json gives Size twice.',
    ],
    [
      { 'parameter-overrides': 'p.json' },
      { 'p.json': '7' },
      'Input "parameter-overrides": p.json must hold a map {Key: Value} or a list of {ParameterKey, ParameterValue}.',
    ],
    [
      { 'parameter-overrides': 'p.json' },
      { 'p.json': 'null' },
      'Input "parameter-overrides": p.json must hold a map',
    ],
    [{ tags: '=value' }, {}, 'Input "tags": "=value" is not a Key=Value line.'],
    [{ tags: 'novalue' }, {}, 'Input "tags": "novalue" is not a Key=Value line.'],
    [
      { capabilities: 'CAPABILITY_IAM,CAPABILITY_X' },
      {},
      'Input "capabilities": "CAPABILITY_X" is not one of CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND.',
    ],
    [
      { 'timeout-minutes': '361' },
      {},
      'Input "timeout-minutes" must be a whole number from 1 to 360, not "361".',
    ],
    [
      { 'execute-change-set-id': CHANGE_SET, 'create-only': 'true' },
      {},
      'Input "execute-change-set-id" executes a change set: it cannot go with execute: false or create-only: true.',
    ],
    [
      { 'execute-change-set-id': `${CHANGE_SET}/x` },
      {},
      'is not a change set ARN (the change-set-id output of a create-only run).',
    ],
    [{ 'execute-change-set-id': `x${CHANGE_SET}` }, {}, 'is not a change set ARN'],
    [
      { 'notification-arns': 'arn:aws:sns:us-east-1:123456789012:t x' },
      {},
      'Input "notification-arns": "arn:aws:sns:us-east-1:123456789012:t x" is not an SNS topic ARN.',
    ],
    [
      { 'notification-arns': 'arn:aws:sns:us-east-1:123456789012:t/x' },
      {},
      'is not an SNS topic ARN',
    ],
    [
      { 'notification-arns': 'xarn:aws:sns:us-east-1:123456789012:t' },
      {},
      'is not an SNS topic ARN',
    ],
    [
      { 's3-prefix': 'a/../b/' },
      {},
      'Input "s3-prefix": "a/../b/" is not a usable key prefix (no leading "/", no "..", at most 512 characters).',
    ],
    [{ 's3-prefix': 'x'.repeat(513) }, {}, 'is not a usable key prefix'],
    [{ 's3-prefix': 'a b/' }, {}, 'is not a usable key prefix'],
  ])('rejects %j', async (inputs, files, message) => {
    const failures = await failureFor(inputs, files);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(message);
  });

  it('names a template that is not JSON or YAML at all', async () => {
    const failures = await failureFor({ template: 't.yaml' }, { 't.yaml': 'a: [1\n' });
    expect(failures[0]).toMatch(/^Input "template": t\.yaml is not a valid template: \S/);
  });
});

describe('cfn-deploy inputs it accepts', () => {
  const accepted = async (inputs: Record<string, string>, files: Record<string, string> = {}) => {
    for (const [name, body] of Object.entries(files)) workspaceFile(name, body);
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(stackMissing())
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    const { io, value } = deps(inputs);
    await run(value);
    expect(io.failures).toEqual([]);
    return cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input;
  };

  it.each([
    ['a number', '{"Size": 3}', '3'],
    ['a boolean', '{"Size": true}', 'true'],
    ['an AWS CLI list with a number', '[{"ParameterKey": "Size", "ParameterValue": 4}]', '4'],
  ])('takes %s from a JSON parameter file as text', async (_what, file, expected) => {
    const request = await accepted({ 'parameter-overrides': 'P.JSON' }, { 'P.JSON': file });
    expect(request?.Parameters).toEqual([{ ParameterKey: 'Size', ParameterValue: expected }]);
  });

  it.each([
    ['a value ending in .json as a value', { 'parameter-overrides': 'Size=app.json' }, {}],
    [
      'a one-letter parameter',
      { 'parameter-overrides': 'N=3' },
      { 'template.json': '{"Parameters": {"N": {"Type": "Number"}}, "Resources": {}}' },
    ],
  ])('reads %s', async (_what, inputs, files) => {
    const request = await accepted(inputs, files);
    const [key, value] = inputs['parameter-overrides'].split('=');
    expect(request?.Parameters).toEqual([{ ParameterKey: key, ParameterValue: value }]);
  });

  it('reads capabilities with a trailing comma', async () => {
    const request = await accepted({ capabilities: 'CAPABILITY_IAM,' });
    expect(request?.Capabilities).toEqual(['CAPABILITY_IAM']);
  });

  it.each([
    ['five topics, the most CloudFormation takes', [1, 2, 3, 4, 5].map((n) => topic(n))],
    ['a topic of another partition', [topic(1, 'aws-us-gov')]],
  ])('takes %s', async (_what, topics) => {
    const request = await accepted({ 'notification-arns': topics.join(',') });
    expect(request?.NotificationARNs).toEqual(topics);
  });

  it('sends a template of exactly 51,200 bytes inline without asking for a bucket', async () => {
    const base = '{"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}';
    const body = `${base}${' '.repeat(51_200 - base.length)}`;
    const request = await accepted({}, { 'template.json': body });
    expect(request?.TemplateBody).toBe(body);
  });

  it('takes the change set ARN of another partition to execute', async () => {
    const id = 'arn:aws-cn:cloudformation:cn-north-1:123456789012:changeSet/gh-abc/1234-abcd';
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const { value } = deps({ 'execute-change-set-id': id });
    await run(value);
    expect(cfn.commandCalls(DescribeChangeSetCommand)[0]?.args[0].input.ChangeSetName).toBe(id);
  });

  it('reads a YAML template with short-form tags, and its defaults as text', async () => {
    const request = await accepted(
      { template: 'template.yaml', 'parameter-overrides': 'Name=x' },
      {
        'template.yaml':
          'Parameters:\n  Name:\n    Type: String\n    Default: 5\n  Other:\n\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref Name\n',
      },
    );
    expect(request?.TemplateBody).toContain('QueueName: !Ref Name');
    expect(request?.Parameters).toEqual([{ ParameterKey: 'Name', ParameterValue: 'x' }]);
  });

  it('reads a JSON template that starts after blank lines', async () => {
    const request = await accepted(
      {},
      { 'template.json': '\n  {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}' },
    );
    expect(request?.TemplateBody).toBe('\n  {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}');
  });

  it('takes a timeout of 360 minutes and an s3-prefix of 512 characters', async () => {
    const request = await accepted({ 'timeout-minutes': '360', 's3-prefix': 'p'.repeat(512) });
    expect(request?.StackName).toBe('app');
  });
});
