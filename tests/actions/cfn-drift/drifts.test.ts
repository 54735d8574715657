import {
  DescribeStackResourceDriftsCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-drift/src/main';
import { cfn, deps, prepareStack, resourceDrift } from './harness';

const report = (outputs: Record<string, string>): unknown => JSON.parse(outputs.report ?? 'null');

const summary = (logicalId: string, type: string) => ({
  LogicalResourceId: logicalId,
  ResourceType: type,
  ResourceStatus: 'CREATE_COMPLETE' as const,
  LastUpdatedTimestamp: new Date(0),
});

/** The requests as they were sent: the SDK's paginator reuses one input object for every page. */
const sent = (requests: Record<string, unknown>[], input: object) => {
  requests.push({ ...input });
};

describe('cfn-drift reads every page of drift results and resources', () => {
  it('follows NextToken through the drift results and the resource list', async () => {
    // Prepare: two pages of each.
    prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'DRIFTED' }, []);
    const driftRequests: Record<string, unknown>[] = [];
    cfn.on(DescribeStackResourceDriftsCommand).callsFake((input: { NextToken?: string }) => {
      sent(driftRequests, input);
      return input.NextToken === 'drifts-2'
        ? {
            StackResourceDrifts: [resourceDrift('AnomalyTable', 'AWS::DynamoDB::Table', 'DELETED')],
          }
        : {
            StackResourceDrifts: [
              resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', 'IN_SYNC'),
            ],
            NextToken: 'drifts-2',
          };
    });
    const resourceRequests: Record<string, unknown>[] = [];
    cfn.on(ListStackResourcesCommand).callsFake((input: { NextToken?: string }) => {
      sent(resourceRequests, input);
      return input.NextToken === 'resources-2'
        ? {
            StackResourceSummaries: [
              summary('AnomalyTable', 'AWS::DynamoDB::Table'),
              summary('DetectorAlias', 'AWS::Lambda::Alias'),
            ],
          }
        : {
            StackResourceSummaries: [summary('ReadingStream', 'AWS::Kinesis::Stream')],
            NextToken: 'resources-2',
          };
    });
    const { io, value } = deps();

    // Act
    await run(value);

    // Assess
    expect(driftRequests).toEqual([
      { StackName: 'app' },
      { StackName: 'app', NextToken: 'drifts-2' },
    ]);
    expect(resourceRequests).toEqual([
      { StackName: 'app' },
      { StackName: 'app', NextToken: 'resources-2' },
    ]);
    expect(report(io.outputs)).toEqual([
      {
        logicalId: 'AnomalyTable',
        type: 'AWS::DynamoDB::Table',
        status: 'DELETED',
        differences: [],
      },
      {
        logicalId: 'DetectorAlias',
        type: 'AWS::Lambda::Alias',
        status: 'NOT_CHECKED',
        differences: [],
      },
      {
        logicalId: 'ReadingStream',
        type: 'AWS::Kinesis::Stream',
        status: 'IN_SYNC',
        differences: [],
      },
    ]);
    expect(io.outputs['drifted-count']).toBe('1');
  });

  it('a stack with no resources at all: an empty report', async () => {
    prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'IN_SYNC' }, []);
    cfn.on(DescribeStackResourceDriftsCommand).resolves({});
    cfn.on(ListStackResourcesCommand).resolves({});
    const { io, value } = deps();

    await run(value);

    expect(io.failures).toEqual([]);
    expect(report(io.outputs)).toEqual([]);
  });

  it('fills in what a drift result leaves out: "?" for names, UNKNOWN for the status', async () => {
    prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'DRIFTED' }, []);
    cfn.on(DescribeStackResourceDriftsCommand).resolves({
      StackResourceDrifts: [
        {
          StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1',
          LogicalResourceId: undefined,
          ResourceType: undefined,
          StackResourceDriftStatus: undefined,
          Timestamp: new Date(0),
        },
        {
          ...resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', 'MODIFIED'),
          PropertyDifferences: [
            {
              PropertyPath: undefined,
              ExpectedValue: undefined,
              ActualValue: undefined,
              DifferenceType: undefined,
            },
          ],
        },
      ],
    });
    cfn.on(ListStackResourcesCommand).resolves({});
    const { io, value } = deps();

    await run(value);

    expect(report(io.outputs)).toEqual([
      { logicalId: '?', type: '?', status: 'UNKNOWN', differences: [] },
      {
        logicalId: 'ReadingStream',
        type: 'AWS::Kinesis::Stream',
        status: 'MODIFIED',
        differences: [{ path: '', expected: '', actual: '', kind: '' }],
      },
    ]);
  });

  it('a resource listed without id or type is reported as "?", not checked', async () => {
    prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'IN_SYNC' }, []);
    cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [
        {
          LogicalResourceId: undefined,
          ResourceType: undefined,
          ResourceStatus: 'CREATE_COMPLETE',
          LastUpdatedTimestamp: new Date(0),
        },
      ],
    });
    const { io, value } = deps();

    await run(value);

    expect(report(io.outputs)).toEqual([
      { logicalId: '?', type: '?', status: 'NOT_CHECKED', differences: [] },
    ]);
  });

  it('drift results it cannot read fail the step, naming the stack', async () => {
    prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'IN_SYNC' }, []);
    cfn
      .on(DescribeStackResourceDriftsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const { io, value } = deps();

    await run(value);

    expect(io.failures).toEqual([
      'could not read the resource drifts of stack app: Throttling: Rate exceeded',
    ]);
    expect(io.summaryText()).toBe('');
  });
});
