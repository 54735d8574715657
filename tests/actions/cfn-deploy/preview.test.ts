import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-deploy/src/main';
import {
  TEMPLATE,
  cfn,
  deps,
  recordingComments,
  stack,
  stackMissing,
  useCfnDeployFixtures,
} from './fixtures';

useCfnDeployFixtures();

const MARKER = '<!-- cfn-deploy-change-set-preview:app -->';
/** Every write a preview must never make (creating and deleting its own change set aside). */
const writesBeyondTheChangeSet = () => [
  ...cfn.commandCalls(DeleteStackCommand),
  ...cfn.commandCalls(ExecuteChangeSetCommand),
  ...cfn.commandCalls(UpdateTerminationProtectionCommand),
];

describe('cfn-deploy with execute: false (a read-only preview)', () => {
  it('previews an update, flags replacements, deletes the change set and keeps one PR comment up to date', async () => {
    // Prepare
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const comments = recordingComments([{ id: 7, body: `old preview\n\n${MARKER}` }]);
    const { io, value } = deps(
      { execute: 'false', 'github-token': 'token' },
      { comments, pullRequestNumber: 12 },
    );

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

  it.each(['ROLLBACK_COMPLETE', 'REVIEW_IN_PROGRESS'])(
    'leaves a stack in %s alone, previewing from the template what a deploy would create',
    async (status) => {
      // Prepare
      cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack(status)] });
      const { io, value } = deps({ execute: 'false' });

      // Act
      await run(value);

      // Assess
      expect(io.failures).toEqual([]);
      expect(cfn.commandCalls(DeleteStackCommand)).toEqual([]);
      expect(cfn.commandCalls(CreateChangeSetCommand)).toEqual([]);
      expect(io.outputs).toMatchObject({ status: 'PREVIEW', changed: 'true' });
      expect(io.outputs['change-set']).toContain(`Stack \`app\` is ${status}`);
      expect(io.outputs['change-set']).toContain('| Add | Queue | AWS::SQS::Queue |');
    },
  );

  it('previews a new stack without creating anything, not even an empty stack', async () => {
    cfn.on(DescribeStacksCommand).rejects(stackMissing());
    const { io, value } = deps({ execute: 'false' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toEqual([]);
    expect(cfn.commandCalls(DeleteStackCommand)).toEqual([]);
    expect(io.outputs['change-set']).toContain('does not exist: a deploy creates it');
  });

  it('never turns termination protection on; the summary says a deploy would', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE });
    const { io, value } = deps({ execute: 'false', 'termination-protection': 'true' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(writesBeyondTheChangeSet()).toEqual([]);
    expect(io.summaryText()).toContain('A deploy would turn termination protection on.');
  });

  it.each([
    ['unchanged', () => cfn.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE })],
    [
      'empty',
      () =>
        cfn.on(CreateChangeSetCommand).rejects(
          Object.assign(new Error('No updates are to be performed.'), {
            name: 'ValidationError',
          }),
        ),
    ],
  ])(
    'updates the PR comment when the stack is %s, so it never goes stale',
    async (_case, arrange) => {
      // Prepare
      cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
      arrange();
      const comments = recordingComments([{ id: 7, body: `old preview\n\n${MARKER}` }]);
      const { io, value } = deps(
        { execute: 'false', 'github-token': 'token' },
        { comments, pullRequestNumber: 12 },
      );

      // Act
      await run(value);

      // Assess
      expect(io.outputs.changed).toBe('false');
      expect(comments.update).toHaveBeenCalledWith(
        7,
        expect.stringContaining('## ✅ Stack app: unchanged'),
      );
      expect(writesBeyondTheChangeSet()).toEqual([]);
    },
  );

  it('names its phases in the log and asks for an UPDATE change set', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const { io, value } = deps({ execute: 'false' });
    await run(value);
    expect(io.logs).toEqual(
      expect.arrayContaining([
        'group: Inspect stack app',
        'group: Create change set gh-abcdef123456-lfls (UPDATE)',
      ]),
    );
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.ChangeSetType).toBe('UPDATE');
  });

  it('fails naming a change set CloudFormation refused, deleting it and executing nothing', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn
      .on(DescribeChangeSetCommand)
      .resolves({ ChangeSetId: 'cs-1', Status: 'FAILED', StatusReason: 'Template error: bad Ref' });
    const { io, value } = deps({ execute: 'false' });
    await run(value);
    expect(io.failures).toEqual([
      'Change set gh-abcdef123456-lfls for stack app failed: Template error: bad Ref',
    ]);
    expect(cfn.commandCalls(DeleteChangeSetCommand)[0]?.args[0].input).toEqual({
      ChangeSetName: 'cs-1',
      StackName: 'app',
    });
    expect(writesBeyondTheChangeSet()).toEqual([]);
  });

  it.each([
    [
      'a FAILED change set saying so, which it deletes',
      () =>
        cfn.on(DescribeChangeSetCommand).resolves({
          ChangeSetId: 'cs-1',
          Status: 'FAILED',
          StatusReason: "The submitted information didn't contain changes.",
        }),
      "The submitted information didn't contain changes.",
      1,
    ],
    [
      'CreateChangeSet refusing, which leaves nothing to delete',
      () =>
        cfn.on(CreateChangeSetCommand).rejects(
          Object.assign(new Error('No updates are to be performed.'), {
            name: 'ValidationError',
          }),
        ),
      'No updates are to be performed.',
      0,
    ],
  ])('reports no changes found by %s', async (_case, arrange, reason, deleted) => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    arrange();
    const { io, value } = deps({ execute: 'false' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.logs).toContain(`CloudFormation found nothing to change (${reason}).`);
    expect(io.outputs['change-set']).toBe(`No changes (${reason}).`);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(deleted);
  });

  it('says a deploy of a new stack would turn termination protection on', async () => {
    cfn.on(DescribeStacksCommand).rejects(stackMissing());
    const { io, value } = deps({ execute: 'false', 'termination-protection': 'true' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.summaryText()).toContain(
      '_Preview only (execute: false): nothing was created or executed. A deploy would also turn termination protection on._',
    );
  });
});
