import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-deploy/src/main';
import {
  TEMPLATE,
  cfn,
  deps,
  stack,
  stackMissing,
  workspaceFile,
  useCfnDeployFixtures,
} from './fixtures';

useCfnDeployFixtures();

describe('cfn-deploy', () => {
  it('deletes a stack left in ROLLBACK_COMPLETE (as role-arn) and creates it afresh, with rollback by deletion', async () => {
    // Prepare
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('ROLLBACK_COMPLETE')] })
      .resolvesOnce({ Stacks: [stack('DELETE_COMPLETE')] })
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    const role = 'arn:aws:iam::123456789012:role/cfn-exec';
    const { io, value } = deps({ 'role-arn': role });

    // Act
    await run(value);

    // Assess
    expect(io.failures).toEqual([]);
    expect(cfn.commandCalls(DeleteStackCommand)[0]?.args[0].input).toEqual({
      StackName: 'app',
      RoleARN: role,
    });
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input).toMatchObject({
      ChangeSetType: 'CREATE',
      OnStackFailure: 'DELETE',
      RoleARN: role,
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
      0,
    ],
    [
      'a FAILED change set that did not contain changes',
      () =>
        cfn.on(DescribeChangeSetCommand).resolves({
          Status: 'FAILED',
          ChangeSetId: 'cs-1',
          StatusReason:
            "The submitted information didn't contain changes. Submit different information to create a change set.",
        }),
      1,
    ],
  ])('treats %s as success with nothing executed', async (_shape, arrange, deleted) => {
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
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(deleted);
  });

  it('fails on an empty change set with fail-on-empty-changeset, still saying what it found', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn
      .on(CreateChangeSetCommand)
      .rejects(
        Object.assign(new Error('No updates are to be performed.'), { name: 'ValidationError' }),
      );
    const { io, value } = deps({ 'fail-on-empty-changeset': 'true' });
    await run(value);
    expect(io.failures).toEqual([
      'Stack app: nothing to deploy (fail-on-empty-changeset). No changes (No updates are to be performed.).',
    ]);
    expect(io.outputs).toMatchObject({ changed: 'false', status: 'UPDATE_COMPLETE' });
  });

  it('makes no change set when template and parameters are as deployed', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(JSON.parse(TEMPLATE)) });
    const { io, value } = deps({});
    await run(value);
    expect(io.outputs.changed).toBe('false');
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('ignores the github:sha and github:run-url tags earlier versions put on the stack', async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        stack('UPDATE_COMPLETE', {
          Tags: [
            { Key: 'team', Value: 'health' },
            { Key: 'github:sha', Value: '0123' },
            { Key: 'github:run-url', Value: 'https://github.com/o/r/actions/runs/0' },
          ],
        }),
      ],
    });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE });
    const { io, value } = deps({ tags: 'team=health' });
    await run(value);
    expect(io.outputs.changed).toBe('false');
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('makes a change set for a stack whose last update failed without rolling back, even with the same template', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_FAILED')] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE });
    const { value } = deps({});
    await run(value);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.ChangeSetType).toBe('UPDATE');
  });

  it.each([
    [
      'an SSM-typed parameter',
      { Size: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/app/size' } },
      {},
      undefined,
    ],
    ['a dynamic reference', {}, { QueueName: '{{resolve:ssm:/app/queue-name}}' }, undefined],
    ['a transform', {}, {}, 'AWS::LanguageExtensions'],
  ])(
    'lets the change set decide when the template has %s, even with the same template and parameters',
    async (_what, parameters, properties, transform) => {
      // Prepare
      const template = {
        ...(transform ? { Transform: transform } : {}),
        Parameters: { Size: { Type: 'Number', Default: 1 }, ...parameters },
        Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: properties } },
      };
      workspaceFile('template.json', JSON.stringify(template));
      cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
      cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(template) });
      const { io, value } = deps({});

      // Act
      await run(value);

      // Assess
      expect(io.failures).toEqual([]);
      expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(1);
    },
  );

  it('lets the change set decide when the template has a nested stack', async () => {
    const template = {
      Parameters: { Size: { Type: 'Number', Default: 1 } },
      Resources: {
        Child: {
          Type: 'AWS::CloudFormation::Stack',
          Properties: { TemplateURL: 'https://b.s3.amazonaws.com/child.json' },
        },
      },
    };
    workspaceFile('template.json', JSON.stringify(template));
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(template) });
    const { value } = deps({});
    await run(value);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(1);
  });

  it('fails a change set that fails for another reason, deleting the empty new stack', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(stackMissing())
      .resolves({ Stacks: [stack('DELETE_COMPLETE')] });
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'FAILED',
      ChangeSetId: 'cs-1',
      StatusReason: 'Template format error: unsupported structure',
    });
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([
      'Change set gh-abcdef123456-lfls for stack app failed: Template format error: unsupported structure',
    ]);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
  });

  it('deletes a failed UPDATE change set instead of leaving it behind', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'FAILED',
      ChangeSetId: 'cs-1',
      StatusReason: 'Parameter Size must be a number',
    });
    const { io, value } = deps({});
    await run(value);
    expect(io.failures[0]).toMatch(/failed: Parameter Size must be a number$/);
    expect(cfn.commandCalls(DeleteChangeSetCommand)[0]?.args[0].input).toEqual({
      ChangeSetName: 'cs-1',
      StackName: 'app',
    });
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });
});
