import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { settledStack } from '../../../actions/shared/busy-stack';
import {
  followOperation,
  isBusy,
  isFailure,
  waitForStack,
} from '../../../actions/shared/cloudformation';
import { StateError } from '../../../actions/shared/errors';
import { fakeIO } from '../../support/fake-io';
import { START, event } from './stack-events';

// Waiting for a stack another operation is changing, and what a person sees of it: log lines and
// annotations (the table of failed resources: failed-events.test.ts).

const cfnMock = mockClient(CloudFormationClient);
const client = () => new CloudFormationClient({ region: 'us-east-1' });

function fakeClock(start = START) {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

const described = (status: string) => ({
  Stacks: [{ StackName: 'app', StackStatus: status as never, CreationTime: new Date(0) }],
});
const notFound = () =>
  Object.assign(new Error('Stack with id app does not exist'), { name: 'ValidationError' });

beforeEach(() => {
  cfnMock.reset();
});

describe('stack states', () => {
  it.each([
    ['UPDATE_IN_PROGRESS', true, false],
    ['UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', true, true],
    ['REVIEW_IN_PROGRESS', false, false],
    ['UPDATE_COMPLETE', false, false],
    ['ROLLBACK_COMPLETE', false, true],
    ['CREATE_FAILED', false, true],
    ['FAILED_SOMETHING', false, false],
    [undefined, false, false],
  ])('%s is busy: %s, a failure: %s', (status, busy, failure) => {
    expect(isBusy(status)).toBe(busy);
    expect(isFailure(status)).toBe(failure);
  });
});

describe('settling a busy stack', () => {
  const wait = (clock = fakeClock(), lines: string[] = []) => ({
    clock,
    deadline: clock.now() + 60_000,
    log: (line: string) => void lines.push(line),
    atTimeout: 'nothing was deleted.',
  });

  it('gives a settled stack at once, waiting for nothing', async () => {
    cfnMock.on(DescribeStacksCommand).resolves(described('UPDATE_COMPLETE'));
    const lines: string[] = [];
    const result = await settledStack(client(), 'app', wait(fakeClock(), lines));
    expect(result).toEqual({ stack: described('UPDATE_COMPLETE').Stacks[0], waitedFor: undefined });
    expect(lines).toEqual([]);
    expect(cfnMock.commandCalls(DescribeStackEventsCommand)).toEqual([]);
  });

  it('gives no stack for a missing one', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(notFound());
    expect(await settledStack(client(), 'app', wait())).toEqual({
      stack: undefined,
      waitedFor: undefined,
    });
  });

  it('waits out another operation, logging its new events with the time since it began waiting', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolvesOnce(described('UPDATE_IN_PROGRESS'))
      .resolvesOnce(described('UPDATE_IN_PROGRESS'))
      .resolves(described('UPDATE_COMPLETE'));
    cfnMock
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [event('old', { ResourceStatusReason: 'before' })] })
      .resolves({
        StackEvents: [
          event('new', { ResourceStatus: 'UPDATE_COMPLETE', Timestamp: new Date(START + 7000) }),
          event('old'),
        ],
      });
    const lines: string[] = [];
    const clock = fakeClock();
    const result = await settledStack(client(), 'app', wait(clock, lines));
    expect(result.waitedFor).toBe('UPDATE_IN_PROGRESS');
    expect(result.stack?.StackStatus).toBe('UPDATE_COMPLETE');
    expect(lines).toEqual([
      'Stack app is UPDATE_IN_PROGRESS; waiting for that operation to finish first.',
      '+7s      Table AWS::DynamoDB::Table UPDATE_COMPLETE',
    ]);
    expect(clock.sleeps).toEqual([5000]);
  });

  it('gives no stack when the operation it waited for deleted it', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolvesOnce(described('DELETE_IN_PROGRESS'))
      .rejects(notFound());
    cfnMock.on(DescribeStackEventsCommand).rejects(notFound());
    const result = await settledStack(client(), 'app', wait());
    expect(result).toEqual({ stack: undefined, waitedFor: 'DELETE_IN_PROGRESS' });
  });

  it('stops at the deadline, saying what was not done', async () => {
    cfnMock.on(DescribeStacksCommand).resolves(described('UPDATE_IN_PROGRESS'));
    cfnMock.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    const clock = fakeClock();
    const error = await settledStack(client(), 'app', wait(clock)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toBe(
      'Stack app is still UPDATE_IN_PROGRESS at the timeout (timeout-minutes); nothing was deleted.',
    );
    expect(clock.now()).toBe(START + 60_000);
  });

  it.each([
    [DescribeStacksCommand, 'could not describe stack app: Throttling: slow down'],
    [DescribeStackEventsCommand, 'could not follow stack app: Throttling: slow down'],
  ])('names what it was doing when %p fails', async (command, message) => {
    cfnMock.on(DescribeStacksCommand).resolves(described('UPDATE_IN_PROGRESS'));
    cfnMock.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfnMock
      .on(command as typeof DescribeStacksCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'Throttling' }));
    if (command === DescribeStacksCommand)
      cfnMock
        .on(DescribeStacksCommand)
        .rejects(Object.assign(new Error('slow down'), { name: 'Throttling' }));
    await expect(settledStack(client(), 'app', wait())).rejects.toThrow(message);
  });
});

describe('following an operation this run started', () => {
  it('shows only the events carrying its token, oldest first, in a "Stack events" group', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolvesOnce(described('UPDATE_IN_PROGRESS'))
      .resolves(described('UPDATE_COMPLETE'));
    cfnMock
      .on(DescribeStackEventsCommand)
      .resolvesOnce({
        StackEvents: [
          event('b', { ClientRequestToken: 'mine', ResourceStatus: 'UPDATE_COMPLETE' }),
          event('a', { ClientRequestToken: 'mine' }),
          event('z', { ClientRequestToken: 'earlier' }),
        ],
        NextToken: 'more',
      })
      .resolves({
        StackEvents: [
          event('c', { ClientRequestToken: 'mine', LogicalResourceId: 'app' }),
          event('b', { ClientRequestToken: 'mine' }),
        ],
      });
    const io = fakeIO();
    const clock = fakeClock();
    const result = await followOperation(io, client(), 'app', {
      clock,
      started: START,
      deadline: START + 60_000,
      token: 'mine',
    });
    expect(result.timedOut).toBe(false);
    expect(result.events.map((e) => e.EventId)).toEqual(['a', 'b', 'c']);
    expect(io.logs).toEqual([
      'group: Stack events',
      '+2s      Table AWS::DynamoDB::Table UPDATE_IN_PROGRESS',
      '+2s      Table AWS::DynamoDB::Table UPDATE_COMPLETE',
      '+2s      app AWS::DynamoDB::Table UPDATE_IN_PROGRESS',
    ]);
  });

  it('reads further pages while every event on them is new', async () => {
    cfnMock.on(DescribeStacksCommand).resolves(described('UPDATE_COMPLETE'));
    cfnMock
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [event('b', { ClientRequestToken: 't' })], NextToken: 'p2' })
      .resolvesOnce({ StackEvents: [event('a', { ClientRequestToken: 't' })], NextToken: 'p3' })
      .resolves({ StackEvents: [event('z', { ClientRequestToken: 'other' })] });
    const result = await waitForStack(client(), 'app', {
      clock: fakeClock(),
      deadline: START,
      token: 't',
      onEvent: () => undefined,
    });
    expect(result.events.map((e) => e.EventId)).toEqual(['a', 'b']);
  });

  it('skips events without an id', async () => {
    cfnMock.on(DescribeStacksCommand).resolves(described('UPDATE_COMPLETE'));
    cfnMock.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        event('b', { ClientRequestToken: 't' }),
        { ClientRequestToken: 't' } as StackEvent,
      ],
    });
    const result = await waitForStack(client(), 'app', {
      clock: fakeClock(),
      deadline: START,
      token: 't',
      onEvent: () => undefined,
    });
    expect(result.events.map((e) => e.EventId)).toEqual(['b']);
  });

  it('reports a timeout with the stack as it last was', async () => {
    cfnMock.on(DescribeStacksCommand).resolves(described('UPDATE_IN_PROGRESS'));
    cfnMock.on(DescribeStackEventsCommand).resolves({});
    const clock = fakeClock();
    const result = await waitForStack(client(), 'app', {
      clock,
      deadline: START + 12_000,
      token: 't',
      onEvent: () => undefined,
    });
    expect(result.timedOut).toBe(true);
    expect(result.stack?.StackStatus).toBe('UPDATE_IN_PROGRESS');
    expect(clock.sleeps).toEqual([5000, 5000, 5000]);
  });

  it('lets an events failure other than a vanished stack through', async () => {
    cfnMock.on(DescribeStacksCommand).resolves(described('UPDATE_COMPLETE'));
    cfnMock.on(DescribeStackEventsCommand).rejects(new Error('socket hang up'));
    await expect(
      waitForStack(client(), 'app', {
        clock: fakeClock(),
        deadline: START,
        token: 't',
        onEvent: () => undefined,
      }),
    ).rejects.toThrow('socket hang up');
    await expect(
      waitForStack(client(), 'app', {
        clock: fakeClock(),
        deadline: START,
        onEvent: () => undefined,
      }),
    ).rejects.toThrow('socket hang up');
  });

  it('without a token, skips only the newest page of events already there', async () => {
    cfnMock.on(DescribeStacksCommand).resolves(described('UPDATE_COMPLETE'));
    cfnMock
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [event('old-1'), {} as StackEvent], NextToken: 'p2' })
      .resolves({ StackEvents: [event('new'), event('old-1')] });
    const result = await waitForStack(client(), 'app', {
      clock: fakeClock(),
      deadline: START,
      onEvent: () => undefined,
    });
    expect(result.events.map((e) => e.EventId)).toEqual(['new']);
    expect(cfnMock.commandCalls(DescribeStackEventsCommand)[0]?.args[0].input).toEqual({
      StackName: 'app',
    });
  });
});
