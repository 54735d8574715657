import {
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
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

// The requests a run sends CloudFormation and S3, as the inputs shape them.

const createInput = () => cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input;
const executeInput = () => cfn.commandCalls(ExecuteChangeSetCommand)[0]?.args[0].input;
const updating = () =>
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
const creating = () =>
  cfn
    .on(DescribeStacksCommand)
    .rejectsOnce(stackMissing())
    .resolves({ Stacks: [stack('CREATE_COMPLETE')] });

/** A template with `count` queues, padded so that only its minified form may fit inline. */
const paddedTemplate = (count: number, indent: number) => {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < count; i += 1)
    resources[`Queue${i}`] = { Type: 'AWS::SQS::Queue', Properties: { QueueName: `q-${i}` } };
  return JSON.stringify({ Resources: resources }, null, indent);
};

describe('cfn-deploy requests', () => {
  it('sends exactly the change set the inputs describe for an update', async () => {
    updating();
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([]);
    expect(createInput()).toEqual({
      StackName: 'app',
      ChangeSetName: 'gh-abcdef123456-lfls',
      ChangeSetType: 'UPDATE',
      Description: 'o/r@abcdef123456 https://github.com/o/r/actions/runs/1',
      TemplateBody: TEMPLATE,
      Parameters: [{ ParameterKey: 'Size', UsePreviousValue: true }],
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Tags: [],
    });
    expect(executeInput()).toEqual({
      ChangeSetName: 'cs-1',
      StackName: 'app',
      ClientRequestToken: 'xlfls-gh-abcdef123456-lfls',
    });
  });

  it('leaves out parameters a new stack takes defaults for, and sends overrides', async () => {
    workspaceFile(
      'template.json',
      JSON.stringify({
        Parameters: { Size: { Type: 'Number', Default: 1 }, Name: { Type: 'String' } },
        Resources: { Queue: { Type: 'AWS::SQS::Queue' } },
      }),
    );
    creating();
    const { value } = deps({ 'parameter-overrides': ' Name = orders ' });
    await run(value);
    expect(createInput()?.Parameters).toEqual([{ ParameterKey: 'Name', ParameterValue: 'orders' }]);
    expect(createInput()?.ChangeSetType).toBe('CREATE');
  });

  it('reads capabilities separated by commas or spaces, in any case', async () => {
    updating();
    const { io, value } = deps({ capabilities: 'capability_iam, CAPABILITY_AUTO_EXPAND\n' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(createInput()?.Capabilities).toEqual(['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND']);
  });

  it('reads tags as trimmed Key=Value lines whose value may hold "="', async () => {
    updating();
    const { value } = deps({ tags: ' team = health \nquery=a=b\n' });
    await run(value);
    expect(createInput()?.Tags).toEqual([
      { Key: 'team', Value: 'health' },
      { Key: 'query', Value: 'a=b' },
    ]);
  });

  it('reads notification topics from lines and commas', async () => {
    const topic = (name: string) => `arn:aws:sns:us-east-1:123456789012:${name}`;
    updating();
    const { value } = deps({
      'notification-arns': `${topic('a')}, ${topic('b')},\n${topic('c')}`,
    });
    await run(value);
    expect(createInput()?.NotificationARNs).toEqual([topic('a'), topic('b'), topic('c')]);
  });

  it('names the change set and its execution token from the commit and the clock, within limits', async () => {
    updating();
    const long = `https://github.com/o/r/actions/runs/${'9'.repeat(1100)}`;
    const { value: base } = deps({});
    const value = { ...base, run: { ...base.run, sha: 'ab_c.d', runUrl: long } };
    const name = `gh-${'n'.repeat(125)}`;
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'CREATE_COMPLETE',
      ChangeSetId: 'cs-1',
      ChangeSetName: name,
      Changes: [],
    });
    await run(value);
    expect(createInput()?.ChangeSetName).toBe('gh-ab-c-d-lfls');
    expect(createInput()?.Description).toBe(`o/r@ab_c.d ${long}`.slice(0, 1024));
    expect(createInput()?.Description).toHaveLength(1024);
    expect(executeInput()?.ClientRequestToken).toBe(`xlfls-${name}`.slice(0, 128));
    expect(executeInput()?.ClientRequestToken).toHaveLength(128);
  });

  it('gives DisableRollback to no create (on-failure decides there)', async () => {
    creating();
    const { io, value } = deps({ 'disable-rollback': 'true' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(executeInput()).not.toHaveProperty('DisableRollback');
    expect(createInput()?.OnStackFailure).toBe('DELETE');
  });

  it('sends a template minified when only its minified form fits inline', async () => {
    const body = paddedTemplate(700, 8);
    expect(Buffer.byteLength(body)).toBeGreaterThan(51_200);
    expect(Buffer.byteLength(JSON.stringify(JSON.parse(body)))).toBeLessThanOrEqual(51_200);
    workspaceFile('template.json', body);
    updating();
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([]);
    expect(createInput()?.TemplateBody).toBe(JSON.stringify(JSON.parse(body)));
    expect(s3.calls()).toEqual([]);
  });

  it('minifies a JSON template that starts after a blank line just the same', async () => {
    const body = `\n${paddedTemplate(700, 8)}`;
    workspaceFile('template.json', body);
    updating();
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([]);
    expect(createInput()?.TemplateBody).toBe(JSON.stringify(JSON.parse(body)));
  });

  it('sends a template of exactly 51,200 bytes inline, as it is', async () => {
    const base = JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } });
    const body = `${base}${' '.repeat(51_200 - Buffer.byteLength(base))}`;
    workspaceFile('template.json', body);
    updating();
    const { io, value } = deps({ 's3-bucket': 'templates' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(createInput()?.TemplateBody).toBe(body);
    expect(s3.calls()).toEqual([]);
  });

  it('uploads a big YAML template as .yaml, and says where it went', async () => {
    const lines = ['Resources:'];
    for (let i = 0; i < 1500; i += 1)
      lines.push(`  Queue${i}:`, '    Type: AWS::SQS::Queue', `    # padding ${'x'.repeat(10)}`);
    workspaceFile('template.yaml', `${lines.join('\n')}\n`);
    updating();
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('Not Found'), { name: 'NotFound' }));
    s3.on(PutObjectCommand).resolves({});
    const { io, value } = deps({ template: 'template.yaml', 's3-bucket': 'templates' });
    await run(value);
    expect(io.failures).toEqual([]);
    const key = s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Key ?? '';
    expect(key).toMatch(/^cloudformation\/[0-9a-f]{64}\.yaml$/);
    expect(io.logs).toContain(
      `Template is ${Buffer.byteLength(`${lines.join('\n')}\n`)} bytes, over the 51200-byte inline limit: uploaded to s3://templates/${key}.`,
    );
  });

  it('says a big template already in the bucket is already there', async () => {
    workspaceFile('template.json', paddedTemplate(1500, 0));
    updating();
    s3.on(HeadObjectCommand).resolves({});
    const { io, value } = deps({ 's3-bucket': 'templates' });
    await run(value);
    expect(io.logs.filter((line) => line.startsWith('Template is'))).toEqual([
      expect.stringMatching(
        /^Template is \d+ bytes, over the 51200-byte inline limit: already at s3:\/\/templates\/cloudformation\/[0-9a-f]{64}\.json\.$/,
      ),
    ]);
  });
});
