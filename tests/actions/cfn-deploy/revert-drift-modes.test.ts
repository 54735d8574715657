import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Change,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-deploy/src/main';
import {
  QUEUE_DRIFT,
  cfn,
  deps,
  driftAwareChangeSet,
  stack,
  useCfnDeployFixtures,
} from './fixtures';

useCfnDeployFixtures();

// deployment-mode REVERT_DRIFT in each run mode: the request sent, the summary, what is done.

const ROLE = 'arn:aws:iam::123456789012:role/cfn-exec';
const createInput = () => cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input;
const deployed = (extra: Parameters<typeof stack>[1] = {}) =>
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE', extra)] });
const revertWith = (changes?: Change[]) =>
  cfn.on(DescribeChangeSetCommand).resolves(driftAwareChangeSet(changes));

/** The change set as the summary and the `change-set` output show it, reverted properties last. */
const revertMarkdown = (title: string, rows: string[]) =>
  [
    `### ${title} for stack \`app\` (update)`,
    '',
    '1 resource change(s).',
    '',
    '| Action | Logical id | Type | Replacement | Scope |',
    '| --- | --- | --- | --- | --- |',
    '| Modify | Queue | AWS::SQS::Queue |  | Properties |',
    '',
    "Properties put back to the template's values:",
    '',
    '| Resource | Property | Now → after the revert |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');

describe('cfn-deploy deployment-mode REVERT_DRIFT: the request', () => {
  it("asks for a revert of the stack's own template, tags and values, with the capabilities and role given, naming the run", async () => {
    // Prepare
    const tags = [{ Key: 'team', Value: 'sensors' }];
    deployed({ Tags: tags });
    revertWith();
    const { io, value } = deps({ 'deployment-mode': 'REVERT_DRIFT', 'role-arn': ROLE });

    // Act
    await run(value);

    // Assess
    expect(io.failures).toEqual([]);
    expect(createInput()).toEqual({
      StackName: 'app',
      ChangeSetName: 'gh-revert-drift-lfls',
      ChangeSetType: 'UPDATE',
      DeploymentMode: 'REVERT_DRIFT',
      Description: 'Revert drift: o/r@abcdef123456 https://github.com/o/r/actions/runs/1',
      UsePreviousTemplate: true,
      Parameters: [{ ParameterKey: 'Size', UsePreviousValue: true }],
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Tags: tags,
      RoleARN: ROLE,
    });
    expect(io.logs).toContain('group: Create drift-aware change set gh-revert-drift-lfls');
  });

  it('sends empty parameter and tag lists for a stack that has neither', async () => {
    deployed({ Parameters: undefined, Tags: undefined });
    revertWith();
    const { value } = deps({ 'deployment-mode': 'REVERT_DRIFT' });
    await run(value);
    expect(createInput()).toMatchObject({ Parameters: [], Tags: [] });
    expect(createInput()).not.toHaveProperty('RoleARN');
  });

  it("keeps the change set's description within CloudFormation's 1,024 characters", async () => {
    deployed();
    revertWith();
    const long = `https://github.com/o/r/actions/runs/${'9'.repeat(1100)}`;
    const { value: base } = deps({ 'deployment-mode': 'REVERT_DRIFT' });
    await run({ ...base, run: { ...base.run, runUrl: long } });
    expect(createInput()?.Description).toBe(
      `Revert drift: o/r@abcdef123456 ${long}`.slice(0, 1024),
    );
  });
});

describe('cfn-deploy deployment-mode REVERT_DRIFT: what each run mode does and says', () => {
  it('previews (execute: false): the change set and the properties put back, then deletes it', async () => {
    deployed();
    revertWith();
    const { io, value } = deps({ 'deployment-mode': 'REVERT_DRIFT', execute: 'false' });

    await run(value);

    const markdown = revertMarkdown('Preview of the change set', [
      '| Queue | `/VisibilityTimeout` | `90` → `30` |',
    ]);
    expect(io.outputs).toMatchObject({
      status: 'PREVIEW',
      changed: 'true',
      'change-set': markdown,
    });
    expect(io.summaryText()).toContain(
      `## 🔍 Stack app: drift revert preview\n\nAfter 0s · commit \`abcdef123456\` · [run](https://github.com/o/r/actions/runs/1)\n\n${markdown}\n\n_Preview only (execute: false): nothing was executed, and the change set was deleted._\n\n`,
    );
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
  });

  it('create-only: leaves the change set for review, says how to execute it, executes nothing', async () => {
    deployed();
    revertWith();
    const { io, value } = deps({ 'deployment-mode': 'REVERT_DRIFT', 'create-only': 'true' });

    await run(value);

    expect(io.failures).toEqual([]);
    expect(io.outputs).toMatchObject({
      status: 'CHANGE_SET_CREATED',
      changed: 'true',
      'change-set-id': 'cs-1',
      'change-set-name': 'gh-revert-drift-lfls',
      'change-set': revertMarkdown('Change set for review', [
        '| Queue | `/VisibilityTimeout` | `90` → `30` |',
      ]),
    });
    expect(io.summaryText()).toMatch(/^## 📝 Stack app: drift revert ready for review\n/);
    expect(io.summaryText()).toContain(
      '\n\n_Execute exactly this change set with `execute-change-set-id: cs-1` (the `change-set-id` output)._\n\n',
    );
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toEqual([]);
  });

  it('deploys: executes the revert as an update (DisableRollback as asked) and waits for it', async () => {
    deployed();
    revertWith();
    const { io, value } = deps({ 'deployment-mode': 'REVERT_DRIFT', 'disable-rollback': 'true' });

    await run(value);

    expect(io.failures).toEqual([]);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)[0]?.args[0].input).toMatchObject({
      ChangeSetName: 'cs-1',
      StackName: 'app',
      DisableRollback: true,
    });
    expect(io.outputs).toMatchObject({ status: 'UPDATE_COMPLETE', changed: 'true' });
    expect(io.summaryText()).toMatch(/^## ✅ Stack app: UPDATE_COMPLETE\n/);
  });

  it('lists every property put back, blank where CloudFormation gives no path or value', async () => {
    // Prepare: a property removed by hand (no value now), one added by hand (none after the
    // revert), one given by name only, a detail without a target; changes with no details add no row.
    const details = [
      { Target: { Attribute: 'Properties' as const, Path: '/DelaySeconds', AfterValue: '0' } },
      { Target: { Attribute: 'Properties' as const, Path: '/RedrivePolicy', BeforeValue: '{}' } },
      {
        Target: { Attribute: 'Properties' as const, Name: 'MaximumMessageSize', BeforeValue: '1' },
      },
      { ChangeSource: 'DirectModification' as const },
    ];
    deployed();
    revertWith([
      { ...QUEUE_DRIFT, ResourceChange: { ...QUEUE_DRIFT.ResourceChange, Details: details } },
    ]);
    const { io, value } = deps({ 'deployment-mode': 'REVERT_DRIFT', execute: 'false' });

    // Act
    await run(value);

    // Assess
    expect(io.outputs['change-set']).toBe(
      revertMarkdown('Preview of the change set', [
        '| Queue | `/DelaySeconds` | `` → `0` |',
        '| Queue | `/RedrivePolicy` | `{}` → `` |',
        '| Queue | `MaximumMessageSize` | `1` → `` |',
        '| Queue | `` | `` → `` |',
      ]),
    );
  });

  it('shows no property table when the changes carry no details', async () => {
    deployed();
    revertWith([
      { ...QUEUE_DRIFT, ResourceChange: { ...QUEUE_DRIFT.ResourceChange, Details: undefined } },
      { Type: 'Resource' },
    ]);
    const { io, value } = deps({ 'deployment-mode': 'REVERT_DRIFT', execute: 'false' });

    await run(value);

    expect(io.failures).toEqual([]);
    expect(io.outputs['change-set']).toBe(
      [
        '### Preview of the change set for stack `app` (update)',
        '',
        '2 resource change(s).',
        '',
        '| Action | Logical id | Type | Replacement | Scope |',
        '| --- | --- | --- | --- | --- |',
        '| Modify | Queue | AWS::SQS::Queue |  | Properties |',
        '|  |  |  |  |  |',
        '',
        '',
      ].join('\n'),
    );
  });
});
