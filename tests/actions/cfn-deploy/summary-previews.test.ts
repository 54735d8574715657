import {
  DescribeStacksCommand,
  GetTemplateCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-deploy/src/main';
import { TEMPLATE, cfn, deps, stack, stackMissing, useCfnDeployFixtures } from './fixtures';
import { OUTPUTS, RUN_LINE, STACK_OUTPUTS, changeSet } from './summary-text';

useCfnDeployFixtures();

// What a person reads after a preview (execute: false) or a change set made for review, word for
// word (after a run that deploys, finds nothing to change or fails: summary.test.ts).

const newStackTable = [
  '| Action | Logical id | Type | Replacement | Scope |',
  '| --- | --- | --- | --- | --- |',
  '| Add | Queue | AWS::SQS::Queue |  |  |',
].join('\n');
const READ_FROM_TEMPLATE =
  '1 resource change(s). (Read from the template: no change set was made, so nothing was created to preview it.)';

describe('cfn-deploy job summary and outputs', () => {
  it('reports a preview of an update, and that a deploy would turn termination protection on', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const { io, value } = deps({ execute: 'false', 'termination-protection': 'true' });
    await run(value);
    const preview = changeSet('Preview of the change set');
    expect(io.outputs).toEqual({
      ...STACK_OUTPUTS,
      status: 'PREVIEW',
      changed: 'true',
      'change-set': preview,
    });
    expect(io.summaryText()).toBe(
      `## 🔍 Stack app: preview\n\n${RUN_LINE}\n\n${preview}\n\n_Preview only (execute: false): nothing was executed, and the change set was deleted. A deploy would also turn termination protection on._\n\n${OUTPUTS}`,
    );
    expect(io.logs).toContain(
      'Preview only (execute: false): 1 change(s) described, nothing executed; the change set was deleted.',
    );
  });

  it('does not promise termination protection in a preview when the stack has it', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [stack('UPDATE_COMPLETE', { EnableTerminationProtection: true })] });
    const { io, value } = deps({ execute: 'false', 'termination-protection': 'true' });
    await run(value);
    expect(io.summaryText()).toContain(
      '_Preview only (execute: false): nothing was executed, and the change set was deleted._',
    );
  });

  it.each([
    [false, 'A deploy would turn termination protection on.'],
    [true, ''],
  ])(
    'says in the preview of an unchanged stack whether a deploy would protect it (already protected: %s)',
    async (alreadyProtected, sentence) => {
      cfn.on(DescribeStacksCommand).resolves({
        Stacks: [stack('UPDATE_COMPLETE', { EnableTerminationProtection: alreadyProtected })],
      });
      cfn.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE });
      const { io, value } = deps({ execute: 'false', 'termination-protection': 'true' });
      await run(value);
      expect(io.summaryText()).toContain(
        `_No changes: the deployed template, parameters and tags are already these. No change set was executed._\n\n${sentence}${sentence ? '\n\n' : ''}###`,
      );
    },
  );

  it('previews a new stack from the template, creating nothing', async () => {
    cfn.on(DescribeStacksCommand).rejects(stackMissing());
    const { io, value } = deps({ execute: 'false' });
    await run(value);
    const preview = `### Preview of the change set for stack \`app\` (new stack)\n\nStack \`app\` does not exist: a deploy creates it with every resource of the template. ${READ_FROM_TEMPLATE}\n\n${newStackTable}`;
    expect(io.outputs).toEqual({
      'stack-id': '',
      status: 'PREVIEW',
      changed: 'true',
      'change-set': preview,
    });
    expect(io.summaryText()).toBe(
      `## 🔍 Stack app: preview\n\n${RUN_LINE}\n\n${preview}\n\n_Preview only (execute: false): nothing was created or executed._\n\n\n`,
    );
  });

  it('previews what replacing a stack that can only be deleted would create', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('ROLLBACK_COMPLETE')] });
    const { io, value } = deps({ execute: 'false' });
    await run(value);
    expect(io.outputs['change-set']).toBe(
      `### Preview of the change set for stack \`app\` (new stack)\n\nStack \`app\` is ROLLBACK_COMPLETE (its creation failed and rolled back; it can only be deleted): a deploy deletes it and creates it afresh with every resource of the template. ${READ_FROM_TEMPLATE}\n\n${newStackTable}`,
    );
    expect(io.outputs['stack-id']).toBe('');
  });

  it('reports a change set created for review, and how to execute it', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const { io, value } = deps({ 'create-only': 'true', 'termination-protection': 'true' });
    await run(value);
    const review = changeSet('Change set for review');
    expect(io.outputs).toEqual({
      ...STACK_OUTPUTS,
      status: 'CHANGE_SET_CREATED',
      changed: 'true',
      'change-set': review,
      'change-set-id': 'cs-1',
      'change-set-name': 'gh-abcdef123456-lfls',
    });
    expect(io.summaryText()).toBe(
      `## 📝 Stack app: change set gh-abcdef123456-lfls ready for review\n\n${RUN_LINE}\n\n${review}\n\nExecute exactly this change set with \`execute-change-set-id: cs-1\` (the \`change-set-id\` output).\n\n${OUTPUTS}`,
    );
    expect(cfn.commandCalls(UpdateTerminationProtectionCommand)).toEqual([]);
  });
});
