import { CreateChangeSetCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { run } from '../../../actions/cfn-deploy/src/main';
import {
  TEMPLATE,
  cfn,
  deps,
  s3,
  stack,
  stackMissing,
  useCfnDeployFixtures,
  workspaceFile,
} from './fixtures';

useCfnDeployFixtures();

const bigTemplate = () => {
  const big = JSON.parse(TEMPLATE) as { Resources: Record<string, unknown> };
  for (let i = 0; i < 600; i += 1)
    big.Resources[`Queue${i}`] = {
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: `queue-with-a-long-name-${i}` },
    };
  return JSON.stringify(big);
};

describe('cfn-deploy inputs', () => {
  it.each([
    [{ 'stack-name': '' }, 'Input "stack-name" is required.'],
    [{ 'stack-name': '1bad' }, 'Input "stack-name": "1bad" is not a stack name'],
    [{ template: 'missing.json' }, 'Input "template": missing.json does not exist.'],
    [
      { 'parameter-overrides': 'Size' },
      'Input "parameter-overrides": "Size" is not a Key=Value line',
    ],
    [
      { 'parameter-overrides': 'Size=1\nSize=2' },
      'Input "parameter-overrides": Size is given twice.',
    ],
    [
      { capabilities: 'CAPABILITY_EVERYTHING' },
      'Input "capabilities": "CAPABILITY_EVERYTHING" is not one of',
    ],
    [{ tags: 'aws:owner=me' }, 'Input "tags": aws:owner uses the reserved aws: prefix.'],
    [{ execute: 'maybe' }, 'Input "execute" must be true or false'],
    [{ 'timeout-minutes': '0' }, 'Input "timeout-minutes" must be a whole number from 1 to 360'],
    [{ 'role-arn': 'cfn-exec' }, 'Input "role-arn": "cfn-exec" is not an IAM role ARN'],
    [
      { 'on-failure': 'ABANDON' },
      'Input "on-failure" must be one of ROLLBACK, DELETE, DO_NOTHING, not "ABANDON".',
    ],
    [{ 'disable-rollback': 'sometimes' }, 'Input "disable-rollback" must be true or false'],
    [{ 'fail-on-empty-changeset': '2' }, 'Input "fail-on-empty-changeset" must be true or false'],
    [
      { 'notification-arns': 'arn:aws:sqs:us-east-1:123456789012:queue' },
      'Input "notification-arns": "arn:aws:sqs:us-east-1:123456789012:queue" is not an SNS topic ARN.',
    ],
    [
      {
        'notification-arns': [1, 2, 3, 4, 5, 6]
          .map((n) => `arn:aws:sns:us-east-1:123456789012:t${n}`)
          .join(','),
      },
      'Input "notification-arns": 6 topics given; CloudFormation takes at most 5.',
    ],
    [
      { 'execute-change-set-id': 'gh-abc' },
      'Input "execute-change-set-id": "gh-abc" is not a change set ARN',
    ],
    [
      {
        'execute-change-set-id':
          'arn:aws:cloudformation:us-east-1:123456789012:changeSet/gh-abc/1234-abcd',
        execute: 'false',
      },
      'Input "execute-change-set-id" executes a change set: it cannot go with execute: false',
    ],
    [
      { 'create-only': 'true', execute: 'false' },
      'Inputs "create-only" and "execute": false deletes the change set, create-only keeps it',
    ],
    [
      { 's3-bucket': 'Not_A_Bucket' },
      'Input "s3-bucket": "Not_A_Bucket" is not an S3 bucket name.',
    ],
    [{ 's3-prefix': '/abs/' }, 'Input "s3-prefix": "/abs/" is not a usable key prefix'],
  ])('rejects bad input %j before any AWS call', async (inputs, message) => {
    const { io, value } = deps(inputs);
    await run(value);
    expect(io.failures[0]).toContain(message);
    expect(cfn.calls()).toHaveLength(0);
  });

  it('accepts values with commas and "=" in Key=Value lines, and JSON and YAML parameter files', async () => {
    // Prepare
    workspaceFile(
      'template.json',
      TEMPLATE.replace(
        '"Size": { "Type": "Number", "Default": 1 }',
        '"Size": { "Type": "String" }',
      ),
    );
    workspaceFile(
      'params.json',
      JSON.stringify([{ ParameterKey: 'Size', ParameterValue: 'a,b=c' }]),
    );
    workspaceFile('params.yaml', 'Size: "a,b=c"\n');
    workspaceFile('params.yml', '- ParameterKey: Size\n  ParameterValue: a,b=c\n');
    for (const overrides of ['Size=a,b=c', 'params.json', 'params.yaml', 'file://params.yml']) {
      cfn.resetHistory();
      cfn
        .on(DescribeStacksCommand)
        .rejectsOnce(stackMissing())
        .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
      const { io, value } = deps({ 'parameter-overrides': overrides });

      // Act
      await run(value);

      // Assess
      expect(io.failures).toEqual([]);
      expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.Parameters).toEqual([
        { ParameterKey: 'Size', ParameterValue: 'a,b=c' },
      ]);
    }
  });

  it('rejects a YAML parameter file that is not a map or a list, naming it', async () => {
    workspaceFile('params.yaml', 'just a string\n');
    const { io, value } = deps({ 'parameter-overrides': 'params.yaml' });
    await run(value);
    expect(io.failures[0]).toBe(
      'Input "parameter-overrides": params.yaml must hold a map {Key: Value} or a list of {ParameterKey, ParameterValue}.',
    );
    expect(cfn.calls()).toHaveLength(0);
  });

  it('asks for s3-bucket, before any AWS call, when the template is too big to send inline', async () => {
    workspaceFile('template.json', bigTemplate());
    const { io, value } = deps({});
    await run(value);
    expect(io.failures[0]).toMatch(
      /^Input "template": template.json is \d+ bytes, over CloudFormation's 51200-byte inline limit even minified; give an existing bucket in "s3-bucket"/,
    );
    expect(cfn.calls()).toHaveLength(0);
  });

  it('uploads a template over 51,200 bytes to s3-bucket, content-addressed, and gives its regional URL, even for a new stack', async () => {
    // Prepare
    workspaceFile('template.json', bigTemplate());
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(stackMissing())
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('Not Found'), { name: 'NotFound' }));
    s3.on(PutObjectCommand).resolves({});
    const { io, value } = deps({ 's3-bucket': 'templates', 's3-prefix': 'stacks/app/' });

    // Act
    await run(value);

    // Assess
    expect(io.failures).toEqual([]);
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ Bucket: 'templates' });
    expect(put?.Key).toMatch(/^stacks\/app\/[0-9a-f]{64}\.json$/);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.TemplateURL).toBe(
      `https://templates.s3.eu-west-1.amazonaws.com/${put?.Key ?? ''}`,
    );
  });

  it('does not upload a large template again when its content is already in the bucket', async () => {
    workspaceFile('template.json', bigTemplate());
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    s3.on(HeadObjectCommand).resolves({});
    const { io, value } = deps({ 's3-bucket': 'templates' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(s3.commandCalls(PutObjectCommand)).toEqual([]);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.TemplateURL).toMatch(
      /^https:\/\/templates\.s3\.eu-west-1\.amazonaws\.com\/cloudformation\/[0-9a-f]{64}\.json$/,
    );
  });

  it('gives a path-style URL for a bucket whose name has dots (its certificate covers no dotted name)', async () => {
    workspaceFile('template.json', bigTemplate());
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    s3.on(HeadObjectCommand).resolves({});
    const { value } = deps({ 's3-bucket': 'deploy.templates' });
    await run(value);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.TemplateURL).toMatch(
      /^https:\/\/s3\.eu-west-1\.amazonaws\.com\/deploy\.templates\/cloudformation\/[0-9a-f]{64}\.json$/,
    );
  });
});
