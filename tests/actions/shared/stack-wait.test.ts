import {
  CloudFormationClient,
  DescribeStacksCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { describeStack, eventLine } from '../../../actions/shared/cloudformation';

// Reading a stack and the progress lines a person reads in the log (the busy-stack wait itself is
// tested in tests/actions/cfn-deploy and teardown).
const cfnMock = mockClient(CloudFormationClient);
const client = () => new CloudFormationClient({ region: 'us-east-1' });
const START = Date.UTC(2026, 10, 21, 10);

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
