import {
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/teardown/src/main';
import { answerLikeAHealthyAccount, cfn, deps, resource } from './data-harness';

// A stack that is not there, is busy, or does not go: what the teardown waits for and reports.
answerLikeAHealthyAccount();

describe('teardown of a stack that is not there or will not go', () => {
  it('reports a stack that does not exist, touching nothing', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error('Stack with id app does not exist'), { name: 'ValidationError' }),
      );
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs).toEqual({ status: 'NOT_FOUND', deleted: 'false', 'backup-arn': '' });
    expect(io.summaryText()).toBe(
      '## ✅ Teardown of app: nothing to delete\n\nThe stack does not exist.\n',
    );
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('logs a REVIEW_IN_PROGRESS stack as holding no resources and lists none', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({
        Stacks: [
          { StackName: 'app', StackStatus: 'REVIEW_IN_PROGRESS', CreationTime: new Date(0) },
        ],
      })
      .resolves({ Stacks: [] });
    const { io, value } = deps();
    await run(value);
    expect(io.logs).toContain(
      'Stack app is REVIEW_IN_PROGRESS: a change set created it and never ran, so it holds no resources.',
    );
    expect(cfn.commandCalls(ListStackResourcesCommand)).toHaveLength(0);
    expect(io.summaryText()).toContain('_The stack held no resources._');
    expect(io.summaryText()).not.toContain('### Kept');
    expect(io.outputs['backup-arn']).toBe('');
  });

  it('says how long the deletion took and when it is still running at the timeout', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({
        Stacks: [{ StackName: 'app', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(0) }],
      })
      .resolves({
        Stacks: [
          { StackName: 'app', StackStatus: 'DELETE_IN_PROGRESS', CreationTime: new Date(0) },
        ],
      });
    const { io, value, elapsed } = deps({ 'timeout-minutes': '2' });
    await run(value);
    expect(io.failures).toEqual([
      'Stack app is still DELETE_IN_PROGRESS after 2 minute(s) (timeout-minutes); CloudFormation goes on.',
    ]);
    expect(elapsed()).toBeGreaterThanOrEqual(120_000);
    expect(io.logs).toContain('Deleting stack app; waiting up to 2 minute(s).');
  });

  it('waits out an operation in progress, logging it, then deletes', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({
        Stacks: [
          { StackName: 'app', StackStatus: 'UPDATE_IN_PROGRESS', CreationTime: new Date(0) },
        ],
      })
      .resolvesOnce({
        Stacks: [{ StackName: 'app', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(0) }],
      })
      .resolves({ Stacks: [] });
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.logs).toContain(
      'Stack app is UPDATE_IN_PROGRESS; waiting for that operation to finish first.',
    );
    expect(io.outputs).toMatchObject({ status: 'DELETE_COMPLETE', deleted: 'true' });
  });

  it('deletes nothing when another operation is still running at the timeout', async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'app', StackStatus: 'UPDATE_IN_PROGRESS', CreationTime: new Date(0) }],
    });
    const { io, value } = deps({ 'timeout-minutes': '1' });
    await run(value);
    expect(io.failures).toEqual([
      'Stack app is still UPDATE_IN_PROGRESS at the timeout (timeout-minutes); nothing was deleted.',
    ]);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('reports a stack another operation finished deleting while it waited, deleting nothing', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({
        Stacks: [
          { StackName: 'app', StackStatus: 'DELETE_IN_PROGRESS', CreationTime: new Date(0) },
        ],
      })
      .resolves({ Stacks: [] });
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs).toEqual({ status: 'DELETE_COMPLETE', deleted: 'false', 'backup-arn': '' });
    expect(io.summaryText()).toBe(
      '## ✅ Teardown of app: nothing to delete\n\nAnother operation was deleting the stack; it has finished, and nothing is left.\n',
    );
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('reports the time the deletion took', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({
        Stacks: [{ StackName: 'app', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(0) }],
      })
      .resolvesOnce({
        Stacks: [
          { StackName: 'app', StackStatus: 'DELETE_IN_PROGRESS', CreationTime: new Date(0) },
        ],
      })
      .resolves({ Stacks: [] });
    const { io, value, elapsed } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(elapsed()).toBeGreaterThan(0);
    expect(io.summaryText()).toContain(`Deleted in ${Math.round(elapsed() / 1000)}s:`);
  });

  it('fails without a status when the stack is left in a state CloudFormation does not name', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({
        Stacks: [{ StackName: 'app', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(0) }],
      })
      .resolves({ Stacks: [{ StackName: 'app', CreationTime: new Date(0) } as never] });
    cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [resource('Readings', 'AWS::DynamoDB::Table', 'readings')],
    });
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([
      'Stack app is DELETE_FAILED: 0 resource(s) could not be deleted; see the annotations. Fix them and run the teardown again.',
    ]);
    expect(io.outputs).toEqual({
      status: 'DELETE_FAILED',
      deleted: 'false',
      'backup-arn': 'arn:backup/readings',
    });
    expect(io.summaryText()).toBe(
      [
        '## ❌ Teardown of app: DELETE_FAILED',
        '',
        'CloudFormation reported no failed resource.',
        '',
        '### Kept',
        '',
        '| Table | Backup ARN |',
        '| --- | --- |',
        '| readings | arn:backup/readings |',
        '',
        'Restore with `aws dynamodb restore-table-from-backup --target-table-name <name> --backup-arn <arn>` (see the README).',
        '', // the summary ends with a newline
      ].join('\n'),
    );
  });

  it('reports a failed deletion without a Kept section when no backup was taken', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({
        Stacks: [{ StackName: 'app', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(0) }],
      })
      .resolves({
        Stacks: [{ StackName: 'app', StackStatus: 'DELETE_FAILED', CreationTime: new Date(0) }],
      });
    const { io, value } = deps({ backup: 'false' });
    await run(value);
    expect(io.summaryText()).toBe(
      '## ❌ Teardown of app: DELETE_FAILED\n\nCloudFormation reported no failed resource.\n\n',
    );
  });

  it.each([
    [
      { confirm: 'App' },
      'Input "confirm" must be exactly the stack name "app" (got "App"). Nothing was touched.',
    ],
    [{ confirm: '' }, 'Input "confirm" is required.'],
  ])('refuses %j before any AWS call', async (inputs, message) => {
    const { io, value } = deps(inputs);
    await run(value);
    expect(io.failures).toEqual([expect.stringContaining(message)]);
    expect(cfn.calls()).toHaveLength(0);
  });
});
