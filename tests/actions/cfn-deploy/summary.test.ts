import {
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-deploy/src/main';
import {
  TEMPLATE,
  cfn,
  deps,
  executionEvent,
  stack,
  stackMissing,
  useCfnDeployFixtures,
} from './fixtures';
import { OUTPUTS, RUN_LINE, STACK_OUTPUTS, changeSet } from './summary-text';

useCfnDeployFixtures();

// What a person reads after a run that deploys, finds nothing to change or fails: the job summary
// and the step outputs, word for word (after a preview or a review: summary-previews.test.ts).

const noUpdates = () =>
  cfn
    .on(CreateChangeSetCommand)
    .rejects(
      Object.assign(new Error('No updates are to be performed.'), { name: 'ValidationError' }),
    );

describe('cfn-deploy job summary and outputs', () => {
  it('reports a deployed update: headline, change set, stack outputs', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs).toEqual({
      ...STACK_OUTPUTS,
      status: 'UPDATE_COMPLETE',
      changed: 'true',
      'change-set': changeSet('Change set'),
    });
    expect(io.summaryText()).toBe(
      `## ✅ Stack app: UPDATE_COMPLETE\n\n${RUN_LINE}\n\n${changeSet('Change set')}\n\n${OUTPUTS}`,
    );
    expect(io.logs).toEqual([
      'group: Inspect stack app',
      'group: Create change set gh-abcdef123456-lfls (UPDATE)',
      'Executing 1 change(s); waiting up to 30 minute(s) for stack app.',
      'group: Stack events',
    ]);
  });

  it('says how long the run took', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_COMPLETE')] })
      .resolvesOnce({ Stacks: [stack('UPDATE_IN_PROGRESS')] })
      .resolvesOnce({ Stacks: [stack('UPDATE_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const { io, value } = deps({});
    await run(value);
    expect(io.summaryText()).toContain('\n\nAfter 10s · commit `abcdef123456` · [run](');
  });

  it('reports an unchanged stack, turning termination protection on as asked', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE });
    const { io, value } = deps({ 'termination-protection': 'true' });
    await run(value);
    const why = 'No changes: the deployed template, parameters and tags are already these.';
    expect(io.outputs).toEqual({
      ...STACK_OUTPUTS,
      status: 'UPDATE_COMPLETE',
      changed: 'false',
      'change-set': why,
    });
    expect(io.summaryText()).toBe(
      `## ✅ Stack app: unchanged\n\n${RUN_LINE}\n\n_${why} No change set was executed._\n\n${OUTPUTS}`,
    );
    expect(cfn.commandCalls(UpdateTerminationProtectionCommand)).toHaveLength(1);
    expect(io.logs).toContain('Termination protection enabled on stack app.');
  });

  it('leaves termination protection alone on an unchanged stack that has it', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [stack('UPDATE_COMPLETE', { EnableTerminationProtection: true })] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE });
    const { io, value } = deps({ 'termination-protection': 'true' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(cfn.commandCalls(UpdateTerminationProtectionCommand)).toEqual([]);
  });

  it('reports a change set CloudFormation found empty, and says so in the log', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    noUpdates();
    const { io, value } = deps({});
    await run(value);
    expect(io.outputs['change-set']).toBe('No changes (No updates are to be performed.).');
    expect(io.summaryText()).toBe(
      `## ✅ Stack app: unchanged\n\n${RUN_LINE}\n\n_No changes (No updates are to be performed.). No change set was executed._\n\n${OUTPUTS}`,
    );
    expect(io.logs).toContain(
      'CloudFormation found nothing to change (No updates are to be performed.).',
    );
  });

  it('reports a failed execution: the failed resources, then the change set', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_COMPLETE')] })
      .resolves({ Stacks: [stack('UPDATE_ROLLBACK_COMPLETE')] });
    cfn.on(DescribeStackEventsCommand).callsFake(() => ({
      StackEvents: [
        executionEvent({
          LogicalResourceId: 'Queue',
          ResourceType: 'AWS::SQS::Queue',
          ResourceStatus: 'UPDATE_FAILED',
          ResourceStatusReason: 'Queue name taken',
        })(),
      ],
    }));
    const { io, value } = deps({ 'termination-protection': 'true' });
    await run(value);
    expect(io.failures).toEqual([
      'Stack app failed: UPDATE_ROLLBACK_COMPLETE. 1 resource(s) failed; see the annotations and the job summary.',
    ]);
    expect(io.outputs).toMatchObject({ status: 'UPDATE_ROLLBACK_COMPLETE', changed: 'true' });
    expect(io.summaryText()).toBe(
      `## ❌ Stack app: UPDATE_ROLLBACK_COMPLETE\n\n${RUN_LINE}\n\nThe resources that failed, and why:\n\n| Logical id | Type | Status | Reason |\n| --- | --- | --- | --- |\n| Queue | AWS::SQS::Queue | UPDATE_FAILED | Queue name taken |\n\n${changeSet('Change set')}\n\n${OUTPUTS}`,
    );
    expect(cfn.commandCalls(UpdateTerminationProtectionCommand)).toEqual([]);
  });

  it('reports a new stack deleted after its creation failed', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(stackMissing())
      .resolves({ Stacks: [stack('DELETE_COMPLETE')] });
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([
      'Stack app failed: DELETE_COMPLETE (deleted after its creation failed). 0 resource(s) failed; see the annotations and the job summary.',
    ]);
    expect(io.outputs).toMatchObject({
      'stack-id': '',
      status: 'DELETE_COMPLETE (deleted after its creation failed)',
    });
    expect(io.summaryText()).toContain(
      '## ❌ Stack app: DELETE_COMPLETE (deleted after its creation failed)\n\n',
    );
    expect(io.summaryText()).toContain('CloudFormation reported no failed resource.');
  });

  it('counts the changes and flags possible replacements and scopes', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'CREATE_COMPLETE',
      ChangeSetId: 'cs-1',
      ChangeSetName: 'gh-abcdef123456-lfls',
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1',
      Changes: [
        {
          Type: 'Resource',
          ResourceChange: {
            Action: 'Modify',
            LogicalResourceId: 'Queue',
            ResourceType: 'AWS::SQS::Queue',
            Replacement: 'Conditional',
            Scope: ['Properties', 'Tags'],
          },
        },
        {
          Type: 'Resource',
          ResourceChange: {
            Action: 'Modify',
            LogicalResourceId: 'Topic',
            ResourceType: 'AWS::SNS::Topic',
            Replacement: 'False',
          },
        },
        { Type: 'Resource' },
      ],
    });
    const { io, value } = deps({});
    await run(value);
    expect(io.outputs['change-set']).toBe(
      [
        '### Change set for stack `app` (update)',
        '',
        '3 resource change(s).',
        '',
        '| Action | Logical id | Type | Replacement | Scope |',
        '| --- | --- | --- | --- | --- |',
        '| Modify | Queue | AWS::SQS::Queue | ⚠️ may be replaced | Properties, Tags |',
        '| Modify | Topic | AWS::SNS::Topic |  |  |',
        '|  |  |  |  |  |',
      ].join('\n'),
    );
    expect(io.logs).toContain('Executing 3 change(s); waiting up to 30 minute(s) for stack app.');
  });

  it('says when a change set changes no resource, only outputs, parameters or tags', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(stackMissing())
      .resolves({ Stacks: [stack('CREATE_COMPLETE', { Outputs: [] })] });
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'CREATE_COMPLETE',
      ChangeSetId: 'cs-1',
      ChangeSetName: 'gh-abcdef123456-lfls',
      Changes: [],
    });
    const { io, value } = deps({ 'timeout-minutes': '7' });
    await run(value);
    expect(io.outputs['change-set']).toBe(
      '### Change set for stack `app` (new stack)\n\nNo resource changes: only outputs, parameters or tags change.\n\n',
    );
    expect(io.summaryText()).toBe(
      `## ✅ Stack app: CREATE_COMPLETE\n\n${RUN_LINE}\n\n${io.outputs['change-set'] ?? ''}\n\n\n`,
    );
    expect(io.logs).toContain('Executing 0 change(s); waiting up to 7 minute(s) for stack app.');
    expect(io.logs).toContain('group: Create change set gh-abcdef123456-lfls (CREATE)');
  });
});
