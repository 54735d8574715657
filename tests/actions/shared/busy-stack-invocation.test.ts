import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { settledStackOf } from '../../../actions/shared/busy-stack';
import { StateError } from '../../../actions/shared/errors';
import { fakeIO } from '../../support/fake-io';
import { START, event } from './stack-events';

// An action's own wait for its busy stack: its stack, its deadline, its words at the timeout,
// and the wait shown as step output.
const cfnMock = mockClient(CloudFormationClient);
const described = (status: string) => ({
  Stacks: [{ StackName: 'app', StackStatus: status as never, CreationTime: new Date(0) }],
});

function invocation(deadline: number) {
  let now = START;
  const io = fakeIO();
  return {
    io,
    value: {
      deps: {
        cloudformation: new CloudFormationClient({ region: 'us-east-1' }),
        clock: {
          now: () => now,
          sleep: (ms: number) => {
            now += ms;
            return Promise.resolve();
          },
        },
        io,
      },
      inputs: { stackName: 'app' },
      deadline,
    },
  };
}

beforeEach(() => {
  cfnMock.reset();
});

describe('an action waiting out its busy stack', () => {
  it('logs the wait and the new events as step output', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolvesOnce(described('UPDATE_IN_PROGRESS'))
      .resolvesOnce(described('UPDATE_IN_PROGRESS'))
      .resolves(described('UPDATE_COMPLETE'));
    cfnMock
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [event('old')] })
      .resolves({
        StackEvents: [event('new', { ResourceStatus: 'UPDATE_COMPLETE' }), event('old')],
      });
    const { io, value } = invocation(START + 60_000);

    const result = await settledStackOf(value, 'nothing was deployed.');

    expect(result).toEqual({
      stack: described('UPDATE_COMPLETE').Stacks[0],
      waitedFor: 'UPDATE_IN_PROGRESS',
    });
    expect(io.logs).toEqual([
      'Stack app is UPDATE_IN_PROGRESS; waiting for that operation to finish first.',
      '+2s      Table AWS::DynamoDB::Table UPDATE_COMPLETE',
    ]);
  });

  it('stops at its deadline with its own words', async () => {
    cfnMock.on(DescribeStacksCommand).resolves(described('DELETE_IN_PROGRESS'));
    cfnMock.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    const { value } = invocation(START + 10_000);

    const thrown = await settledStackOf(value, 'nothing was deployed.').catch((e: unknown) => e);

    expect(thrown).toBeInstanceOf(StateError);
    expect((thrown as Error).message).toBe(
      'Stack app is still DELETE_IN_PROGRESS at the timeout (timeout-minutes); nothing was deployed.',
    );
    expect(value.deps.clock.now()).toBe(START + 10_000);
  });
});
