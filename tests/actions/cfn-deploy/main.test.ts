import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  UpdateTerminationProtectionCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { run, type CfnDeployDeps } from '../../../actions/cfn-deploy/src/main';
import type { PullRequestComments } from '../../../actions/shared/github';
import { fakeIO } from '../../support/fake-io';

const cfn = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
let workspace: string;

const TEMPLATE = `{
  "Parameters": { "Size": { "Type": "Number", "Default": 1 } },
  "Resources": {
    "Queue": {
      "Type": "AWS::SQS::Queue"
    }
  }
}
`;

const stack = (status: string, extra: Partial<Stack> = {}): Stack => ({
  StackName: 'app',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1',
  StackStatus: status as Stack['StackStatus'],
  CreationTime: new Date(0),
  Parameters: [{ ParameterKey: 'Size', ParameterValue: '1' }],
  Outputs: [{ OutputKey: 'QueueUrl', OutputValue: 'https://queue' }],
  ...extra,
});

/** A clock whose sleeps pass instantly but advance time, so waits and timeouts are exercised. */
function fakeClock() {
  let now = 1_000_000;
  return { now: () => now, sleep: (ms: number) => ((now += ms), Promise.resolve()) };
}

function deps(
  inputs: Record<string, string>,
  comments?: PullRequestComments,
  pullRequestNumber?: number,
) {
  const io = fakeIO({ 'stack-name': 'app', template: 'template.json', ...inputs });
  const value: CfnDeployDeps = {
    io,
    cloudformation: new CloudFormationClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    clock: fakeClock(),
    run: {
      sha: 'abcdef1234567890',
      runUrl: 'https://github.com/o/r/actions/runs/1',
      repository: 'o/r',
      eventName: 'push',
      pullRequestNumber,
    },
    workspace,
    pullRequestComments: comments ? () => comments : undefined,
  };
  return { io, value };
}

const stackMissing = () =>
  Object.assign(new Error('Stack with id app does not exist'), { name: 'ValidationError' });

beforeEach(() => {
  cfn.reset();
  s3.reset();
  workspace = mkdtempSync(join(tmpdir(), 'cfn-deploy-unit-'));
  writeFileSync(join(workspace, 'template.json'), TEMPLATE);
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs-1', StackId: 'arn:stack/app/1' });
  cfn.on(DescribeChangeSetCommand).resolves({
    Status: 'CREATE_COMPLETE',
    StackId: 'arn:stack/app/1',
    Changes: [
      {
        Type: 'Resource',
        ResourceChange: {
          Action: 'Modify',
          LogicalResourceId: 'Queue',
          ResourceType: 'AWS::SQS::Queue',
          Replacement: 'True',
        },
      },
    ],
  });
  cfn.on(GetTemplateCommand).resolves({ TemplateBody: '{"Resources":{}}' });
});

afterEach(() => {
  rmSync(workspace, { recursive: true, force: true });
});

describe('cfn-deploy', () => {
  it('deletes a stack left in ROLLBACK_COMPLETE and creates it afresh, with rollback by deletion', async () => {
    // Prepare
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('ROLLBACK_COMPLETE')] })
      .resolvesOnce({ Stacks: [stack('DELETE_COMPLETE')] })
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    const { io, value } = deps({});

    // Act
    await run(value);

    // Assess
    expect(io.failures).toEqual([]);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input).toMatchObject({
      ChangeSetType: 'CREATE',
      OnStackFailure: 'DELETE',
    });
    expect(io.annotations.map((annotation) => annotation.message)).toContainEqual(
      expect.stringContaining('ROLLBACK_COMPLETE'),
    );
    expect(io.outputs).toMatchObject({
      changed: 'true',
      status: 'CREATE_COMPLETE',
      QueueUrl: 'https://queue',
    });
  });

  it('cleans up a stack left in REVIEW_IN_PROGRESS before creating', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('REVIEW_IN_PROGRESS')] })
      .resolvesOnce({ Stacks: [stack('DELETE_COMPLETE')] })
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([]);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.ChangeSetType).toBe('CREATE');
  });

  it.each([
    [
      'a ValidationError from CreateChangeSet',
      () =>
        cfn.on(CreateChangeSetCommand).rejects(
          Object.assign(new Error('No updates are to be performed.'), {
            name: 'ValidationError',
          }),
        ),
    ],
    [
      'a FAILED change set that did not contain changes',
      () =>
        cfn.on(DescribeChangeSetCommand).resolves({
          Status: 'FAILED',
          StatusReason:
            "The submitted information didn't contain changes. Submit different information to create a change set.",
        }),
    ],
  ])('treats %s as success with nothing executed', async (_shape, arrange) => {
    // Prepare
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    arrange();
    const { io, value } = deps({});

    // Act
    await run(value);

    // Assess
    expect(io.failures).toEqual([]);
    expect(io.outputs.changed).toBe('false');
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });

  it('makes no change set when template and parameters are as deployed', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(JSON.parse(TEMPLATE)) });
    const { io, value } = deps({});
    await run(value);
    expect(io.outputs.changed).toBe('false');
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('fails a change set that fails for another reason, deleting the empty new stack', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(stackMissing())
      .resolves({ Stacks: [stack('DELETE_COMPLETE')] });
    cfn
      .on(DescribeChangeSetCommand)
      .resolves({ Status: 'FAILED', StatusReason: 'Template format error: unsupported structure' });
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([
      'Change set gh-abcdef123456-lfls for stack app failed: Template format error: unsupported structure',
    ]);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
  });

  it('annotates each failed resource on its template line and fails the step', async () => {
    // Prepare
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_COMPLETE')] })
      .resolves({ Stacks: [stack('UPDATE_ROLLBACK_COMPLETE')] });
    cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        {
          EventId: '2',
          StackId: 'arn:stack/app/1',
          StackName: 'app',
          LogicalResourceId: 'Queue',
          ResourceType: 'AWS::SQS::Queue',
          ResourceStatus: 'UPDATE_FAILED',
          ResourceStatusReason: 'Queue name taken',
          Timestamp: new Date(2_000_000_000_000),
        },
      ],
    });
    const { io, value } = deps({});

    // Act
    await run(value);

    // Assess
    expect(io.failures[0]).toMatch(
      /^Stack app failed: UPDATE_ROLLBACK_COMPLETE\. 1 resource\(s\) failed/,
    );
    expect(io.annotations).toContainEqual({
      level: 'error',
      message: 'Queue (AWS::SQS::Queue) UPDATE_FAILED: Queue name taken',
      properties: {
        title: 'CloudFormation could not deploy Queue',
        file: 'template.json',
        startLine: 4,
      },
    });
    expect(io.summaryText()).toContain(
      '| Queue | AWS::SQS::Queue | UPDATE_FAILED | Queue name taken |',
    );
  });

  it('fails at the timeout while the stack is still changing, saying so', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_COMPLETE')] })
      .resolves({ Stacks: [stack('UPDATE_IN_PROGRESS')] });
    const { io, value } = deps({ 'timeout-minutes': '1' });
    await run(value);
    expect(io.failures[0]).toMatch(
      /^Stack app is still UPDATE_IN_PROGRESS after 1 minute\(s\) \(timeout-minutes\)/,
    );
  });

  it('streams stack events while it waits', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_COMPLETE')] })
      .resolvesOnce({ Stacks: [stack('UPDATE_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        {
          EventId: '1',
          StackId: 'arn:stack/app/1',
          StackName: 'app',
          LogicalResourceId: 'Queue',
          ResourceType: 'AWS::SQS::Queue',
          ResourceStatus: 'UPDATE_IN_PROGRESS',
          Timestamp: new Date(2_000_000_000_000),
        },
      ],
    });
    const { io, value } = deps({});
    await run(value);
    expect(io.logs.some((line) => /Queue AWS::SQS::Queue UPDATE_IN_PROGRESS/.test(line))).toBe(
      true,
    );
  });

  it('enables termination protection after creating the stack', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(stackMissing())
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    const { io, value } = deps({ 'termination-protection': 'true' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(cfn.commandCalls(UpdateTerminationProtectionCommand)[0]?.args[0].input).toEqual({
      StackName: 'app',
      EnableTerminationProtection: true,
    });
  });

  it('previews with execute: false, flags replacements, deletes the change set and keeps one PR comment up to date', async () => {
    // Prepare
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const existing = [{ id: 7, body: 'old preview\n\n<!-- cfn-deploy-change-set-preview:app -->' }];
    const comments = {
      list: jest.fn(() => Promise.resolve(existing)),
      create: jest.fn(() => Promise.resolve()),
      update: jest.fn((_id: number, _body: string) => Promise.resolve()),
    };
    const { io, value } = deps({ execute: 'false', 'github-token': 'token' }, comments, 12);

    // Act
    await run(value);

    // Assess
    expect(io.outputs).toMatchObject({ status: 'PREVIEW', changed: 'true' });
    expect(io.outputs['change-set']).toContain(
      '| Modify | Queue | AWS::SQS::Queue | ⚠️ **replaced** |',
    );
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(comments.create).not.toHaveBeenCalled();
    expect(comments.update).toHaveBeenCalledWith(
      7,
      expect.stringContaining('Preview of the change set for stack `app`'),
    );
  });

  it('uploads a template over 51,200 bytes to the artifact bucket', async () => {
    // Prepare
    const big = JSON.parse(TEMPLATE) as { Resources: Record<string, unknown> };
    for (let i = 0; i < 600; i += 1)
      big.Resources[`Queue${i}`] = {
        Type: 'AWS::SQS::Queue',
        Properties: { QueueName: `queue-with-a-long-name-${i}` },
      };
    writeFileSync(join(workspace, 'template.json'), JSON.stringify(big));
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        stack('UPDATE_COMPLETE', {
          Outputs: [{ OutputKey: 'ArtifactBucketName', OutputValue: 'artifacts' }],
        }),
      ],
    });
    s3.on(PutObjectCommand).resolves({});
    const { io, value } = deps({});

    // Act
    await run(value);

    // Assess
    expect(io.failures).toEqual([]);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Bucket).toBe('artifacts');
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.TemplateURL).toMatch(
      /^https:\/\/artifacts\.s3\.amazonaws\.com\/cloudformation\/app\/[0-9a-f]{64}\.json$/,
    );
  });

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
  ])('rejects bad input %j before any AWS call', async (inputs, message) => {
    const { io, value } = deps(inputs);
    await run(value);
    expect(io.failures[0]).toContain(message);
    expect(cfn.calls()).toHaveLength(0);
  });

  it('accepts values with commas and "=" in Key=Value lines, and a JSON parameter file', async () => {
    writeFileSync(
      join(workspace, 'template.json'),
      TEMPLATE.replace(
        '"Size": { "Type": "Number", "Default": 1 }',
        '"Size": { "Type": "String" }',
      ),
    );
    writeFileSync(
      join(workspace, 'params.json'),
      JSON.stringify([{ ParameterKey: 'Size', ParameterValue: 'a,b=c' }]),
    );
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(stackMissing())
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    for (const overrides of ['Size=a,b=c', 'params.json']) {
      cfn.resetHistory();
      cfn
        .on(DescribeStacksCommand)
        .rejectsOnce(stackMissing())
        .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
      const { io, value } = deps({ 'parameter-overrides': overrides });
      await run(value);
      expect(io.failures).toEqual([]);
      expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.Parameters).toEqual([
        { ParameterKey: 'Size', ParameterValue: 'a,b=c' },
      ]);
    }
  });
});
