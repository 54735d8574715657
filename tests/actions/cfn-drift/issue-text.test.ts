import { run } from '../../../actions/cfn-drift/src/main';
import { issueMarker } from '../../../actions/cfn-drift/src/issue';
import { deps, memoryIssues, prepareStack, resourceDrift } from './harness';

const drifted = () => {
  prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'DRIFTED' }, [
    resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', 'MODIFIED', [
      ['/RetentionPeriodHours', '24', '48', 'NOT_EQUAL'],
    ]),
  ]);
};
const verdict = (status: 'IN_SYNC' | 'UNKNOWN') => {
  prepareStack('UPDATE_COMPLETE', { StackDriftStatus: status }, [
    resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', status),
  ]);
};
const openIssue = (number: number, stackName = 'app') => ({
  number,
  body: `old\n${issueMarker(stackName)}`,
  labels: ['drift'],
  state: 'open',
});
const refused = (message: string) =>
  Promise.reject(Object.assign(new Error(message), { name: 'HttpError' }));

const BODY = [
  'Stack `app` has drifted: these properties were changed outside CloudFormation.',
  '',
  '| Resource | Type | Status | Property | Expected → actual | Change |',
  '| --- | --- | --- | --- | --- | --- |',
  '| ReadingStream | AWS::Kinesis::Stream | MODIFIED | `/RetentionPeriodHours` | `24` → `48` | NOT_EQUAL |',
  '',
  'Last checked by https://github.com/o/r/actions/runs/1. Revert through the reviewed drift-aware change set (see the README, "Drift"), or change the template to match. This issue is updated while the drift persists and closed when the stack is back in sync.',
  '',
  '<!-- cfn-drift stack=app -->',
].join('\n');

describe('the drift issue: its text and what the step says about it', () => {
  it('opens an issue with the title, the body and the label given', async () => {
    drifted();
    const store = memoryIssues();
    const listOpen = jest.spyOn(store.port, 'listOpen');
    const create = jest.spyOn(store.port, 'create');
    const { io, value } = deps({ 'github-token': 't', 'issue-label': 'stack drift' }, store.port);

    await run(value);

    expect(listOpen).toHaveBeenCalledWith('stack drift');
    expect(create.mock.calls).toEqual([
      ['Drift: stack app changed outside CloudFormation', BODY, ['stack drift']],
    ]);
    expect(io.logs).toContain('Drift issue: opened #1');
  });

  it("rewrites an open issue's body with the latest table", async () => {
    drifted();
    const store = memoryIssues([openIssue(1)]);
    const { value } = deps({ 'github-token': 't' }, store.port);

    await run(value);

    expect(store.issues[0]?.body).toBe(BODY);
  });

  it('closes the issue of a stack back in sync and says so', async () => {
    verdict('IN_SYNC');
    const store = memoryIssues([openIssue(1, 'app-staging'), openIssue(2)]);
    const { io, value } = deps({ 'github-token': 't' }, store.port);

    await run(value);

    expect(store.issues.map((issue) => issue.state)).toEqual(['open', 'closed']);
    expect(io.logs).toContain('Drift issue: closed #2');
    expect(io.failures).toEqual([]);
  });

  it('leaves the issue open when the verdict is UNKNOWN, naming it', async () => {
    verdict('UNKNOWN');
    const store = memoryIssues([openIssue(1)]);
    const { io, value } = deps({ 'github-token': 't' }, store.port);

    await run(value);

    expect(store.issues[0]).toMatchObject({ state: 'open', comments: [] });
    expect(io.logs).toContain('Drift issue: none #1');
  });

  it.each(['IN_SYNC', 'UNKNOWN'] as const)(
    'with no issue open, a %s stack opens none and the step passes',
    async (status) => {
      verdict(status);
      const store = memoryIssues();
      const { io, value } = deps({ 'github-token': 't' }, store.port);

      await run(value);

      expect(store.issues).toEqual([]);
      expect(io.logs).toContain('Drift issue: none');
      expect(io.failures).toEqual([]);
    },
  );

  it.each([
    ['listOpen', [], 'could not list the open "drift" issues: HttpError: Bad credentials'],
    ['create', [], 'could not open the drift issue: HttpError: Bad credentials'],
    ['update', [openIssue(2)], 'could not update issue #2: HttpError: Bad credentials'],
  ] as const)(
    'a refused %s fails the step saying what it was doing',
    async (method, initial, message) => {
      drifted();
      const store = memoryIssues([...initial]);
      jest.spyOn(store.port, method).mockImplementation(() => refused('Bad credentials'));
      const { io, value } = deps({ 'github-token': 't' }, store.port);

      await run(value);

      expect(io.failures).toEqual([message]);
    },
  );

  it('a refused closing comment fails the step naming the issue', async () => {
    verdict('IN_SYNC');
    const store = memoryIssues([openIssue(1)]);
    jest.spyOn(store.port, 'comment').mockImplementation(() => refused('Not Found'));
    const { io, value } = deps({ 'github-token': 't' }, store.port);

    await run(value);

    expect(io.failures).toEqual(['could not close issue #1: HttpError: Not Found']);
    expect(store.issues[0]?.state).toBe('open');
  });
});
