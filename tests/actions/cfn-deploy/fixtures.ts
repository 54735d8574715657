import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  type Change,
  type DescribeChangeSetCommandOutput,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { CfnDeployDeps } from '../../../actions/cfn-deploy/src/main';
import type { PullRequestComments } from '../../../actions/shared/github';
import { fakeIO } from '../../support/fake-io';

/** Unit-test set-up shared by the cfn-deploy test files: mocked clients, a workspace, a template. */
export const cfn = mockClient(CloudFormationClient);
export const s3 = mockClient(S3Client);

export const TEMPLATE = `{
  "Parameters": { "Size": { "Type": "Number", "Default": 1 } },
  "Resources": {
    "Queue": {
      "Type": "AWS::SQS::Queue"
    }
  }
}
`;

export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1';

export const stack = (status: string, extra: Partial<Stack> = {}): Stack => ({
  StackName: 'app',
  StackId: STACK_ID,
  StackStatus: status as Stack['StackStatus'],
  CreationTime: new Date(0),
  Parameters: [{ ParameterKey: 'Size', ParameterValue: '1' }],
  Outputs: [{ OutputKey: 'QueueUrl', OutputValue: 'https://queue' }],
  ...extra,
});

/** The drift revert CloudFormation computes: the queue's VisibilityTimeout, set to 90 by hand, back to 30. */
export const QUEUE_DRIFT: Change = {
  Type: 'Resource',
  ResourceChange: {
    Action: 'Modify',
    LogicalResourceId: 'Queue',
    ResourceType: 'AWS::SQS::Queue',
    Replacement: 'False',
    Scope: ['Properties'],
    ResourceDriftStatus: 'MODIFIED',
    Details: [
      {
        Target: {
          Attribute: 'Properties',
          Name: 'VisibilityTimeout',
          Path: '/VisibilityTimeout',
          BeforeValue: '90',
          AfterValue: '30',
        },
      },
    ],
  },
};

/** A drift-aware (REVERT_DRIFT) change set, ready, holding these changes. */
export const driftAwareChangeSet = (
  changes: Change[] = [QUEUE_DRIFT],
): Partial<DescribeChangeSetCommandOutput> => ({
  Status: 'CREATE_COMPLETE',
  ExecutionStatus: 'AVAILABLE',
  ChangeSetId: 'cs-1',
  ChangeSetName: 'gh-revert-drift-lfls',
  StackId: STACK_ID,
  Changes: changes,
});

export const stackMissing = () =>
  Object.assign(new Error('Stack with id app does not exist'), { name: 'ValidationError' });

/** A clock whose sleeps pass instantly but advance time, so waits and timeouts are exercised. */
export function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, sleep: (ms: number) => ((now += ms), Promise.resolve()) };
}

let workspace = '';
export const workspaceFile = (name: string, body: string) => {
  writeFileSync(join(workspace, name), body);
};

export function deps(
  inputs: Record<string, string>,
  options: { comments?: PullRequestComments; pullRequestNumber?: number; clockStart?: number } = {},
) {
  const io = fakeIO({ 'stack-name': 'app', template: 'template.json', ...inputs });
  const value: CfnDeployDeps = {
    io,
    cloudformation: new CloudFormationClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'eu-west-1' }),
    clock: fakeClock(options.clockStart),
    run: {
      sha: 'abcdef1234567890',
      runUrl: 'https://github.com/o/r/actions/runs/1',
      repository: 'o/r',
      eventName: 'push',
      pullRequestNumber: options.pullRequestNumber,
    },
    workspace,
    pullRequestComments: options.comments ? () => options.comments! : undefined,
  };
  return { io, value };
}

/** A stack event of the change set execution this run started (it carries its token). */
export function executionEvent(event: Partial<StackEvent>): () => StackEvent {
  return () => ({
    EventId: event.EventId ?? 'e1',
    StackId: STACK_ID,
    StackName: 'app',
    Timestamp: new Date(2_000_000_000_000),
    ClientRequestToken:
      cfn.commandCalls(ExecuteChangeSetCommand)[0]?.args[0].input.ClientRequestToken,
    ...event,
  });
}

export function recordingComments(existing: { id: number; body: string }[] = []) {
  return {
    list: jest.fn(() => Promise.resolve(existing)),
    create: jest.fn((_body: string) => Promise.resolve()),
    update: jest.fn((_id: number, _body: string) => Promise.resolve()),
  };
}

/** Resets the mocks and the workspace before each test: every test stands alone. */
export function useCfnDeployFixtures(): void {
  beforeEach(() => {
    cfn.reset();
    s3.reset();
    workspace = mkdtempSync(join(tmpdir(), 'cfn-deploy-unit-'));
    writeFileSync(join(workspace, 'template.json'), TEMPLATE);
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs-1', StackId: 'arn:stack/app/1' });
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'CREATE_COMPLETE',
      ChangeSetId: 'cs-1',
      ChangeSetName: 'gh-abcdef123456-lfls',
      StackId: STACK_ID,
      Changes: [
        {
          Type: 'Resource',
          ResourceChange: {
            Action: 'Modify',
            LogicalResourceId: 'Queue',
            ResourceType: 'AWS::SQS::Queue',
            Replacement: 'True',
          },
        },
      ],
    });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: '{"Resources":{}}' });
  });
  afterEach(() => {
    rmSync(workspace, { recursive: true, force: true });
  });
}
