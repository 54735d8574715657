import {
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-deploy/src/main';
import {
  STACK_ID,
  TEMPLATE,
  cfn,
  deps,
  recordingComments,
  stack,
  stackMissing,
  useCfnDeployFixtures,
  workspaceFile,
} from './fixtures';

useCfnDeployFixtures();

// Executing a reviewed change set: every check names what is wrong, and the summary says what ran.
// Also: who gets a pull-request comment.

const REVIEWED =
  'arn:aws:cloudformation:us-east-1:123456789012:changeSet/gh-reviewed/11111111-2222-3333-4444-555555555555';

function reviewed(status: string, fields: Record<string, unknown> = {}) {
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack(status)] });
  cfn.on(DescribeChangeSetCommand).resolves({
    ChangeSetId: REVIEWED,
    ChangeSetName: 'gh-reviewed',
    StackId: STACK_ID,
    Status: 'CREATE_COMPLETE',
    ExecutionStatus: 'AVAILABLE',
    Changes: [],
    ...fields,
  });
  cfn.on(ListChangeSetsCommand).resolves({
    Summaries: [{ ChangeSetId: REVIEWED, ChangeSetName: 'gh-reviewed' }],
  });
  cfn.on(GetTemplateCommand, { ChangeSetName: REVIEWED }).resolves({ TemplateBody: TEMPLATE });
}

describe('cfn-deploy execute-change-set-id', () => {
  it('executes a reviewed change set that creates the stack, and says so', async () => {
    reviewed('REVIEW_IN_PROGRESS');
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('REVIEW_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED, 'disable-rollback': 'true' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.logs).toContain(
      "Change set gh-reviewed is the stack's latest and matches template.json: executing it.",
    );
    expect(io.outputs['change-set']).toMatch(
      /^### Reviewed change set for stack `app` \(new stack\)\n/,
    );
    expect(cfn.commandCalls(ExecuteChangeSetCommand)[0]?.args[0].input).not.toHaveProperty(
      'DisableRollback',
    );
    expect(cfn.commandCalls(GetTemplateCommand)[0]?.args[0].input).toEqual({
      StackName: 'app',
      TemplateStage: 'Original',
      ChangeSetName: REVIEWED,
    });
    expect(cfn.commandCalls(ListChangeSetsCommand)[0]?.args[0].input).toEqual({
      StackName: 'app',
    });
  });

  it('executes a reviewed update with DisableRollback when asked', async () => {
    reviewed('UPDATE_COMPLETE');
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED, 'disable-rollback': 'true' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs['change-set']).toMatch(/^### Reviewed change set for stack `app` \(update\)/);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)[0]?.args[0].input.DisableRollback).toBe(true);
  });

  it('refuses when the stack does not exist', async () => {
    reviewed('UPDATE_COMPLETE');
    cfn.on(DescribeStacksCommand).rejects(stackMissing());
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED });
    await run(value);
    expect(io.failures).toEqual([
      `Stack app does not exist, so change set ${REVIEWED} cannot be executed.`,
    ]);
  });

  it.each([
    [
      { Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE', StatusReason: 'bad' },
      'Change set gh-reviewed cannot be executed: it is FAILED/UNAVAILABLE (bad).',
    ],
    [
      { ExecutionStatus: 'EXECUTE_COMPLETE' },
      'Change set gh-reviewed cannot be executed: it is CREATE_COMPLETE/EXECUTE_COMPLETE.',
    ],
    [
      { ExecutionStatus: undefined },
      'Change set gh-reviewed cannot be executed: it is CREATE_COMPLETE/.',
    ],
    [
      { Status: 'CREATE_PENDING' },
      'Change set gh-reviewed cannot be executed: it is CREATE_PENDING/AVAILABLE.',
    ],
  ])('refuses a change set described as %j', async (fields, message) => {
    reviewed('UPDATE_COMPLETE', fields);
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED });
    await run(value);
    expect(io.failures).toEqual([message]);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
  });

  it('refuses when the stack lists no change set at all', async () => {
    reviewed('UPDATE_COMPLETE');
    cfn.on(ListChangeSetsCommand).resolves({});
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED });
    await run(value);
    expect(io.failures).toEqual([
      'Change set gh-reviewed is not the latest of stack app (none is newer): review that one, or create a new one. Nothing was executed.',
    ]);
  });

  it('finds the newest change set on any page, whatever their order', async () => {
    reviewed('UPDATE_COMPLETE');
    cfn
      .on(ListChangeSetsCommand)
      .resolvesOnce({
        Summaries: [
          { ChangeSetId: 'old', ChangeSetName: 'gh-old' },
          { ChangeSetId: REVIEWED, ChangeSetName: 'gh-reviewed', CreationTime: new Date(3000) },
        ],
        NextToken: 'page-2',
      })
      .resolves({
        Summaries: [{ ChangeSetId: 'new', ChangeSetName: 'gh-new', CreationTime: new Date(4000) }],
      });
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED });
    await run(value);
    expect(io.failures[0]).toMatch(
      /^Change set gh-reviewed is not the latest of stack app \(gh-new/,
    );
  });

  it('takes the reviewed change set as the latest when it is the newest of several', async () => {
    reviewed('UPDATE_COMPLETE');
    cfn.on(ListChangeSetsCommand).resolves({
      Summaries: [
        { ChangeSetId: 'older', ChangeSetName: 'gh-older', CreationTime: new Date(1000) },
        { ChangeSetId: REVIEWED, ChangeSetName: 'gh-reviewed', CreationTime: new Date(5000) },
        { ChangeSetId: 'oldest', ChangeSetName: 'gh-oldest' },
      ],
    });
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
  });

  it('takes a reviewed template that differs only in formatting as the same', async () => {
    reviewed('UPDATE_COMPLETE');
    cfn
      .on(GetTemplateCommand, { ChangeSetName: REVIEWED })
      .resolves({ TemplateBody: JSON.stringify(JSON.parse(TEMPLATE)) });
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED });
    await run(value);
    expect(io.failures).toEqual([]);
  });

  it('compares YAML templates as text, ignoring surrounding blank space', async () => {
    const yaml = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n';
    reviewed('UPDATE_COMPLETE');
    cfn
      .on(GetTemplateCommand, { ChangeSetName: REVIEWED })
      .resolves({ TemplateBody: `\n${yaml}\n\n` });
    workspaceFile('template.yaml', yaml);
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED, template: 'template.yaml' });
    await run(value);
    expect(io.failures).toEqual([]);
  });

  it('fails naming the change set whose template it could not read', async () => {
    reviewed('UPDATE_COMPLETE');
    cfn
      .on(GetTemplateCommand, { ChangeSetName: REVIEWED })
      .rejects(Object.assign(new Error('gone'), { name: 'ChangeSetNotFound' }));
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED });
    await run(value);
    expect(io.failures).toEqual([
      `could not read the template of change set ${REVIEWED}: ChangeSetNotFound: gone`,
    ]);
  });

  it('fails naming the stack whose change sets it could not list', async () => {
    reviewed('UPDATE_COMPLETE');
    cfn.on(ListChangeSetsCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDenied' }));
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED });
    await run(value);
    expect(io.failures).toEqual(['could not list the change sets of stack app: AccessDenied: no']);
  });

  it('waits for another operation on the stack first, logging it', async () => {
    reviewed('UPDATE_COMPLETE');
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.logs).toContain(
      'Stack app is UPDATE_IN_PROGRESS; waiting for that operation to finish first.',
    );
  });

  it('gives up at the timeout while another operation goes on, executing nothing', async () => {
    reviewed('UPDATE_IN_PROGRESS');
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED, 'timeout-minutes': '1' });
    await run(value);
    expect(io.failures).toEqual([
      `Stack app is still UPDATE_IN_PROGRESS at the timeout (timeout-minutes); change set ${REVIEWED} was not executed.`,
    ]);
  });
});

describe('cfn-deploy pull-request comments', () => {
  type Where = 'pull request' | 'push' | 'no comment client';
  const preview = async (inputs: Record<string, string>, where: Where = 'pull request') => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const comments = recordingComments();
    const { io, value } = deps(
      { execute: 'false', 'github-token': 'token', ...inputs },
      {
        ...(where === 'no comment client' ? {} : { comments }),
        ...(where === 'push' ? {} : { pullRequestNumber: 12 }),
      },
    );
    await run(value);
    return { io, comments };
  };

  it('creates the preview comment, marked with the stack, and says so', async () => {
    const { io, comments } = await preview({});
    expect(io.failures).toEqual([]);
    expect(comments.create).toHaveBeenCalledWith(
      `${io.summaryText()}\n\n<!-- cfn-deploy-change-set-preview:app -->`,
    );
    expect(io.logs).toContain('Change set preview created on pull request #12.');
  });

  it.each([
    ['without a token', { 'github-token': '' }, 'pull request' as const],
    ['outside a pull request', {}, 'push' as const],
    ['without a comment client', {}, 'no comment client' as const],
  ])('makes no comment %s', async (_case, inputs, where) => {
    const { io, comments } = await preview(inputs, where);
    expect(io.failures).toEqual([]);
    expect(comments.list).not.toHaveBeenCalled();
    expect(comments.create).not.toHaveBeenCalled();
  });

  it('makes no comment for a deploy', async () => {
    const { comments } = await preview({ execute: 'true' });
    expect(comments.list).not.toHaveBeenCalled();
  });

  it('fails naming the comment it could not write, after the summary', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const comments = {
      ...recordingComments(),
      create: jest.fn(() => Promise.reject(new Error('Resource not accessible by integration'))),
    };
    const { io, value } = deps(
      { execute: 'false', 'github-token': 'token' },
      { comments, pullRequestNumber: 3 },
    );
    await run(value);
    expect(io.failures).toEqual([
      'could not comment on the pull request: Resource not accessible by integration',
    ]);
    expect(io.summaryText()).toContain('## 🔍 Stack app: preview');
  });
});
