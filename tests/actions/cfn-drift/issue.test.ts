import { run } from '../../../actions/cfn-drift/src/main';
import { issueMarker } from '../../../actions/cfn-drift/src/issue';
import { deps, memoryIssues, prepareStack, resourceDrift } from './harness';

const drifted = (retention: string) => {
  prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'DRIFTED' }, [
    resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', 'MODIFIED', [
      ['/RetentionPeriodHours', '24', retention, 'NOT_EQUAL'],
    ]),
  ]);
};
const inSync = () => {
  prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'IN_SYNC' }, [
    resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', 'IN_SYNC'),
  ]);
};

describe('cfn-drift keeps one issue per stack', () => {
  it('opens one labelled issue with the table when the stack drifts', async () => {
    drifted('48');
    const store = memoryIssues();
    const { io, value } = deps({ 'github-token': 't' }, store.port);

    await run(value);

    expect(store.issues).toHaveLength(1);
    expect(store.issues[0]?.labels).toEqual(['drift']);
    expect(store.issues[0]?.body).toContain(
      '| `/RetentionPeriodHours` | `24` → `48` | NOT_EQUAL |',
    );
    expect(store.issues[0]?.body).toContain(issueMarker('app'));
    expect(io.logs).toContain('Drift issue: opened #1');
  });

  it("updates the same issue while the drift persists, leaving other stacks' issues alone", async () => {
    drifted('72');
    const store = memoryIssues([
      { number: 1, body: `other\n${issueMarker('app-staging')}`, labels: ['drift'], state: 'open' },
      { number: 2, body: `old\n${issueMarker('app')}`, labels: ['drift'], state: 'open' },
    ]);
    const { io, value } = deps({ 'github-token': 't' }, store.port);

    await run(value);

    expect(store.issues).toHaveLength(2);
    expect(store.issues[1]?.body).toContain('`24` → `72`');
    expect(store.issues[0]?.body).toBe(`other\n${issueMarker('app-staging')}`);
    expect(io.logs).toContain('Drift issue: updated #2');
  });

  it('closes the issue with a comment when the stack is back in sync', async () => {
    inSync();
    const store = memoryIssues([
      { number: 1, body: `old\n${issueMarker('app')}`, labels: ['drift'], state: 'open' },
    ]);
    const { value } = deps({ 'github-token': 't' }, store.port);

    await run(value);

    expect(store.issues[0]?.state).toBe('closed');
    expect(store.issues[0]?.comments).toEqual([
      'Stack `app` is back in sync (checked by https://github.com/o/r/actions/runs/1). Closing.',
    ]);
  });

  it('opens nothing for a stack in sync, and touches no issue without a token', async () => {
    inSync();
    const store = memoryIssues();
    await run(deps({ 'github-token': 't' }, store.port).value);
    drifted('48');
    await run(deps({}, store.port).value);

    expect(store.issues).toEqual([]);
  });
});
