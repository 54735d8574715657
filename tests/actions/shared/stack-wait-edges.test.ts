import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { isFailure, waitForStack } from '../../../actions/shared/cloudformation';
import { reportFailedEvents } from '../../../actions/shared/failed-events';
import { fakeIO } from '../../support/fake-io';
import { START, event } from './stack-events';

// The edges of following a stack: which events count when nobody gave a token, what reading
// them asks AWS, and pages that say little.
const cfnMock = mockClient(CloudFormationClient);
const client = () => new CloudFormationClient({ region: 'us-east-1' });
const settled = {
  Stacks: [
    { StackName: 'app', StackStatus: 'UPDATE_COMPLETE' as const, CreationTime: new Date(0) },
  ],
};

const follow = (token?: string) => {
  const seen: string[] = [];
  const result = waitForStack(client(), 'app', {
    clock: { now: () => START, sleep: () => Promise.resolve() },
    deadline: START,
    ...(token === undefined ? {} : { token }),
    onEvent: (e) => void seen.push(e.EventId ?? '?'),
  });
  return { seen, result };
};

beforeEach(() => {
  cfnMock.reset();
  cfnMock.on(DescribeStacksCommand).resolves(settled);
});

describe('following a stack without a token', () => {
  it('reports new events whatever operation token they carry', async () => {
    cfnMock
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [event('old')] })
      .resolves({
        StackEvents: [event('new', { ClientRequestToken: 'Console-UpdateStack-1' }), event('old')],
      });

    const { seen, result } = follow();

    expect((await result).events.map((e) => e.EventId)).toEqual(['new']);
    expect(seen).toEqual(['new']);
  });

  it('stops when the events already there cannot be read', async () => {
    cfnMock
      .on(DescribeStackEventsCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }))
      .resolves({ StackEvents: [event('new')] });

    await expect(follow().result).rejects.toThrow('Rate exceeded');
  });
});

describe('following an operation with a token', () => {
  it('asks for the events of its stack on every page', async () => {
    cfnMock
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [event('b', { ClientRequestToken: 't' })], NextToken: 'p2' })
      .resolves({ StackEvents: [event('a', { ClientRequestToken: 'other' })] });

    await follow('t').result;

    // The paginator reuses one input object across pages, so only the stack name is compared.
    const stacks = cfnMock
      .commandCalls(DescribeStackEventsCommand)
      .map((call) => call.args[0].input.StackName);
    expect(stacks).toEqual(['app', 'app']);
  });

  it('reads past a page without events to the events after it', async () => {
    cfnMock
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ NextToken: 'p2' })
      .resolves({ StackEvents: [event('a', { ClientRequestToken: 't' })] });

    const { seen, result } = follow('t');

    expect((await result).events.map((e) => e.EventId)).toEqual(['a']);
    expect(seen).toEqual(['a']);
  });

  it('reports nothing for a last page without events', async () => {
    cfnMock.on(DescribeStackEventsCommand).resolves({});

    const { seen, result } = follow('t');

    expect((await result).events).toEqual([]);
    expect(seen).toEqual([]);
  });
});

describe('what counts as failed', () => {
  it.each(['UPDATE_FAILED_CLEANUP', 'CREATE_FAILED_X'])(
    'a status with _FAILED before its end (%s) is no failure',
    (status) => {
      expect(isFailure(status)).toBe(false);
    },
  );

  it('passes over events that carry no status', () => {
    const io = fakeIO();
    const events: StackEvent[] = [
      event('x', { ResourceStatus: undefined }),
      event('y', { ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'Limit exceeded' }),
    ];

    const report = reportFailedEvents(io, events, { stackName: 'app', verb: 'deploy' });

    expect(report.failed.map((e) => e.EventId)).toEqual(['y']);
    expect(io.annotations.map((a) => a.message)).toEqual([
      'Table (AWS::DynamoDB::Table) CREATE_FAILED: Limit exceeded',
    ]);
  });
});
