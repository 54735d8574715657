import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  ListStackResourcesCommand,
  type DescribeStackDriftDetectionStatusCommandOutput,
  type Stack,
  type StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import type { DriftDeps } from '../../../actions/cfn-drift/src/main';
import type { DriftIssues } from '../../../actions/cfn-drift/src/issue';
import { fakeIO } from '../../support/fake-io';

export const cfn = mockClient(CloudFormationClient);

export const stack = (status: string): Stack => ({
  StackName: 'app',
  StackStatus: status as Stack['StackStatus'],
  CreationTime: new Date(0),
});

export const detection = (
  extra: Partial<DescribeStackDriftDetectionStatusCommandOutput>,
): DescribeStackDriftDetectionStatusCommandOutput => ({
  $metadata: {},
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1',
  StackDriftDetectionId: 'd-1',
  DetectionStatus: 'DETECTION_COMPLETE',
  StackDriftStatus: 'IN_SYNC',
  Timestamp: new Date(0),
  ...extra,
});

export const resourceDrift = (
  logicalId: string,
  type: string,
  status: string,
  differences: [string, string, string, string][] = [],
): StackResourceDrift => ({
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1',
  LogicalResourceId: logicalId,
  ResourceType: type,
  StackResourceDriftStatus: status as StackResourceDrift['StackResourceDriftStatus'],
  Timestamp: new Date(0),
  PropertyDifferences: differences.map(([path, expected, actual, kind]) => ({
    PropertyPath: path,
    ExpectedValue: expected,
    ActualValue: actual,
    DifferenceType: kind as 'NOT_EQUAL',
  })),
});

/** A stack in `status` whose detection answers `result` and whose resources drifted so. */
export function prepareStack(
  status: string,
  result: Partial<DescribeStackDriftDetectionStatusCommandOutput>,
  drifts: StackResourceDrift[],
  others: { logicalId: string; type: string }[] = [],
): void {
  cfn.reset();
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack(status)] });
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  cfn.on(DetectStackDriftCommand).resolves({ StackDriftDetectionId: 'd-1' });
  cfn.on(DescribeStackDriftDetectionStatusCommand).resolves(detection(result));
  cfn.on(DescribeStackResourceDriftsCommand).resolves({ StackResourceDrifts: drifts });
  cfn.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [
      ...drifts.map((d) => ({ logicalId: d.LogicalResourceId ?? '', type: d.ResourceType ?? '' })),
      ...others,
    ].map((resource) => ({
      LogicalResourceId: resource.logicalId,
      ResourceType: resource.type,
      ResourceStatus: 'CREATE_COMPLETE',
      LastUpdatedTimestamp: new Date(0),
    })),
  });
}

/** Issues held in memory, recording what the action did to them. */
export function memoryIssues(
  initial: { number: number; body: string; labels: string[]; state: string }[] = [],
) {
  const issues = initial.map((issue) => ({ ...issue, comments: [] as string[] }));
  const port: DriftIssues = {
    listOpen: (label) =>
      Promise.resolve(
        issues
          .filter((i) => i.state === 'open' && i.labels.includes(label))
          .map(({ number, body }) => ({ number, body })),
      ),
    create: (_title, body, labels) => {
      issues.push({ number: issues.length + 1, body, labels, state: 'open', comments: [] });
      return Promise.resolve(issues.length);
    },
    update: (issueNumber, body) => {
      issues[issueNumber - 1]!.body = body;
      return Promise.resolve();
    },
    comment: (issueNumber, body) => {
      issues[issueNumber - 1]!.comments.push(body);
      return Promise.resolve();
    },
    close: (issueNumber) => {
      issues[issueNumber - 1]!.state = 'closed';
      return Promise.resolve();
    },
  };
  return { issues, port };
}

export function deps(inputs: Record<string, string> = {}, issues = memoryIssues().port) {
  const start = 1_000_000;
  let now = start;
  const io = fakeIO({ 'stack-name': 'app', ...inputs });
  const value: DriftDeps = {
    io,
    cloudformation: new CloudFormationClient({ region: 'us-east-1' }),
    clock: { now: () => now, sleep: (ms) => ((now += ms), Promise.resolve()) },
    issues: () => issues,
    runUrl: 'https://github.com/o/r/actions/runs/1',
  };
  return { io, value, elapsed: () => now - start };
}
