import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import {
  describeStack,
  eventLine,
  isFailure,
  isSettled,
  waitUntilSettled,
} from '../../../actions/shared/cloudformation';
import { ConfigurationError } from '../../../actions/shared/errors';

// Waiting on a stack another operation is changing: the progress lines a person reads in the
// log, when the wait ends, and the message at the timeout.
const cfnMock = mockClient(CloudFormationClient);
const client = () => new CloudFormationClient({ region: 'us-east-1' });
const START = Date.UTC(2026, 10, 21, 10);

function fakeClock() {
  const clock = {
    time: START,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

const event = (
  id: string,
  secondsAfterStart: number,
  extra: Partial<StackEvent> = {},
): StackEvent => ({
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1',
  StackName: 'app',
  EventId: id,
  Timestamp: new Date(START + secondsAfterStart * 1000),
  LogicalResourceId: 'Table',
  ResourceType: 'AWS::DynamoDB::Table',
  ResourceStatus: 'UPDATE_IN_PROGRESS',
  ...extra,
});

const notFound = () =>
  Object.assign(new Error('Stack with id app does not exist'), { name: 'ValidationError' });

beforeEach(() => {
  cfnMock.reset();
});

describe('stack statuses', () => {
  it.each([
    ['CREATE_COMPLETE', true, false],
    ['UPDATE_ROLLBACK_COMPLETE', true, true],
    ['ROLLBACK_COMPLETE', true, true],
    ['CREATE_FAILED', true, true],
    ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', false, false],
    ['UPDATE_ROLLBACK_IN_PROGRESS', false, true],
    ['UPDATE_IN_PROGRESS', false, false],
    [undefined, false, false],
  ])('%s: settled %s, failure %s', (status, settled, failure) => {
    expect(isSettled(status)).toBe(settled);
    expect(isFailure(status)).toBe(failure);
  });
});

describe('describing a stack', () => {
  it('gives the stack', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: 'app' }).resolves({
      Stacks: [{ StackName: 'app', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date() }],
    });
    await expect(describeStack(client(), 'app')).resolves.toMatchObject({ StackName: 'app' });
  });

  it('treats a deleted or missing stack as none', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolvesOnce({
        Stacks: [{ StackName: 'app', StackStatus: 'DELETE_COMPLETE', CreationTime: new Date() }],
      })
      .rejectsOnce(notFound())
      .resolvesOnce({});
    await expect(describeStack(client(), 'app')).resolves.toBeUndefined();
    await expect(describeStack(client(), 'app')).resolves.toBeUndefined();
    await expect(describeStack(client(), 'app')).resolves.toBeUndefined();
  });

  it('lets any other failure through', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(new Error('Rate exceeded'));
    await expect(describeStack(client(), 'app')).rejects.toThrow('Rate exceeded');
  });
});

describe('waiting for a busy stack to settle', () => {
  const busy: Stack = {
    StackName: 'app',
    StackStatus: 'UPDATE_IN_PROGRESS',
    CreationTime: new Date(),
  };

  it('logs each new event once, oldest first, every 5 seconds until the stack settles', async () => {
    // Prepare
    cfnMock
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [busy] })
      .resolves({ Stacks: [{ ...busy, StackStatus: 'UPDATE_COMPLETE' }] });
    cfnMock
      .on(DescribeStackEventsCommand)
      .resolvesOnce({
        StackEvents: [event('e2', 2), event('e1', 1), event('old', -60)],
      })
      .resolves({
        StackEvents: [
          event('e3', 7, {
            LogicalResourceId: 'app',
            ResourceType: 'AWS::CloudFormation::Stack',
            ResourceStatus: 'UPDATE_COMPLETE',
          }),
          event('e2', 2),
          event('e1', 1),
        ],
      });
    const clock = fakeClock();
    const log: string[] = [];

    // Act
    const stack = await waitUntilSettled(
      client(),
      busy,
      clock,
      START + 60_000,
      (line) => void log.push(line),
      'nothing was deployed.',
    );

    // Assess
    expect(stack?.StackStatus).toBe('UPDATE_COMPLETE');
    expect(log).toEqual([
      'Stack app is UPDATE_IN_PROGRESS; waiting for that operation to finish first.',
      '+1s      Table AWS::DynamoDB::Table UPDATE_IN_PROGRESS',
      '+2s      Table AWS::DynamoDB::Table UPDATE_IN_PROGRESS',
      '+7s      app AWS::CloudFormation::Stack UPDATE_COMPLETE',
    ]);
    expect(clock.sleeps).toEqual([5000]);
  });

  it('reads older pages of events until it reaches events from before the wait', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ ...busy, StackStatus: 'UPDATE_COMPLETE' }] });
    cfnMock
      .on(DescribeStackEventsCommand, { StackName: 'app', NextToken: undefined })
      .resolves({ StackEvents: [event('e3', 3)], NextToken: 'page-2' })
      .on(DescribeStackEventsCommand, { StackName: 'app', NextToken: 'page-2' })
      .resolves({ StackEvents: [event('e2', 2), event('old', -5)], NextToken: 'page-3' });
    const log: string[] = [];

    await waitUntilSettled(client(), busy, fakeClock(), START, (line) => void log.push(line), '');

    expect(log.slice(1).map((line) => line.slice(0, 3))).toEqual(['+2s', '+3s']);
    expect(cfnMock.commandCalls(DescribeStackEventsCommand)).toHaveLength(2);
  });

  it('ends when the stack is gone (deleted on failure)', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(notFound());
    cfnMock.on(DescribeStackEventsCommand).rejects(notFound());

    await expect(
      waitUntilSettled(client(), busy, fakeClock(), START + 60_000, () => undefined, ''),
    ).resolves.toBeUndefined();
  });

  it('fails at the timeout saying what state the stack is in and what was not done', async () => {
    cfnMock.on(DescribeStacksCommand).resolves({ Stacks: [busy] });
    cfnMock.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    const clock = fakeClock();

    const waiting = waitUntilSettled(
      client(),
      busy,
      clock,
      START + 10_000,
      () => undefined,
      'nothing was deployed.',
    );

    await expect(waiting).rejects.toThrow(
      new ConfigurationError(
        'Stack app is still UPDATE_IN_PROGRESS at the timeout; nothing was deployed.',
      ),
    );
    expect(clock.sleeps).toEqual([5000, 5000]);
  });

  it('lets an event-reading failure other than a missing stack through', async () => {
    cfnMock.on(DescribeStackEventsCommand).rejects(new Error('AccessDenied'));

    await expect(
      waitUntilSettled(client(), busy, fakeClock(), START, () => undefined, ''),
    ).rejects.toThrow('AccessDenied');
  });
});

describe('event lines', () => {
  it('shows the time since the start, resource, status and reason', () => {
    expect(
      eventLine(
        event('e', 125, {
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'Limit exceeded',
        }),
        START,
      ),
    ).toBe('+2m 05s  Table AWS::DynamoDB::Table CREATE_FAILED - Limit exceeded');
  });

  it('leaves out what the event does not say', () => {
    expect(
      eventLine({ EventId: 'e', StackName: 'app', StackId: 'id', Timestamp: undefined }, START),
    ).toBe('           ');
  });
});
