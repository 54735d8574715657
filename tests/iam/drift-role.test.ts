import { readFileSync } from 'node:fs';
import { contextOf, targetsOf } from './handler-requests';
import type { PolicyDocument } from './evaluate';
import { requestsFor, stackView, type IamRequest } from './operations';
import { decide, label } from './proof';
import { sdkCallsOfAction } from './sdk-commands';
import { loadStacks, resource, type Principal } from './stacks';

// The drift job's role: the drift detection calls cfn-drift makes, plus the read calls
// CloudFormation makes with the caller's credentials to read each resource of the stack (the read
// handlers' permissions, from AWS's resource schemas in the shared reference data); nothing that
// writes, no data, nothing of another stack.
const HANDLERS = '/work/shared/aws-data/cfn-handler-permissions.json';
interface Handlers {
  types: Record<string, { handlers?: { read?: { permissions?: string[] } } }>;
}
const readPermissions = (type: string): string[] =>
  (JSON.parse(readFileSync(HANDLERS, 'utf8')) as Handlers).types[type]?.handlers?.read
    ?.permissions ?? [];

const stacks = loadStacks();
const view = stackView(stacks);
const role = resource(stacks.bootstrap, 'DriftRole');
const properties = role.properties as {
  Policies: { PolicyDocument: PolicyDocument }[];
  AssumeRolePolicyDocument: {
    Statement: { Condition: { StringEquals: Record<string, string> } }[];
  };
};
const driftRole: Principal = {
  arn: role.attributes.Arn!,
  identityPolicies: properties.Policies.map((policy) => policy.PolicyDocument),
  trust: properties.AssumeRolePolicyDocument,
};

const actionCalls = sdkCallsOfAction('cfn-drift');
const detectionRequests = actionCalls.flatMap((call) =>
  requestsFor(view, call).map((request): [string, IamRequest] => [label(request), request]),
);

async function handlerReadRequests(): Promise<[string, IamRequest][]> {
  const requests: [string, IamRequest][] = [];
  for (const res of Object.values(stacks.app.resources))
    for (const permission of readPermissions(res.type)) {
      const action = permission.replace(/^[A-Z0-9]+:/, (service) => service.toLowerCase());
      for (const target of (await targetsOf(action, res, stacks.app)) ?? []) {
        const request = {
          action,
          resource: target,
          context: contextOf(action, target, res, stacks.app, 'change'),
        };
        requests.push([`${res.logicalId}: ${label(request)}`, request]);
      }
    }
  return requests;
}

const other = (arn: string) => arn.replace(/anomaly-detection|m03p02_/g, 'other-app');
const mustDeny: [string, IamRequest][] = [
  ['update the stack', { action: 'cloudformation:UpdateStack', resource: view.stackArn }],
  ['create a change set', { action: 'cloudformation:CreateChangeSet', resource: view.stackArn }],
  ['execute a change set', { action: 'cloudformation:ExecuteChangeSet', resource: view.stackArn }],
  ['delete the stack', { action: 'cloudformation:DeleteStack', resource: view.stackArn }],
  [
    'detect drift on another stack',
    { action: 'cloudformation:DetectStackDrift', resource: other(view.stackArn) },
  ],
  [
    'change the detector',
    { action: 'lambda:UpdateFunctionConfiguration', resource: view.functionArns[0]! },
  ],
  ['invoke the detector', { action: 'lambda:InvokeFunction', resource: view.functionArns[0]! }],
  [
    'read another function',
    { action: 'lambda:GetFunction', resource: other(view.functionArns[0]!) },
  ],
  [
    'change the stream retention',
    { action: 'kinesis:IncreaseStreamRetentionPeriod', resource: view.streamArns[0]! },
  ],
  ['read the readings', { action: 'kinesis:GetRecords', resource: view.streamArns[0]! }],
  ['read the anomalies', { action: 'dynamodb:GetItem', resource: view.tableArns[0]! }],
  ['scan the anomalies', { action: 'dynamodb:Scan', resource: view.tableArns[0]! }],
  ['change the table', { action: 'dynamodb:UpdateTable', resource: view.tableArns[0]! }],
  [
    'read an artifact',
    { action: 's3:GetObject', resource: view.objectArn('actions/lambda-deploy/src') },
  ],
  [
    'turn off bucket encryption',
    { action: 's3:PutEncryptionConfiguration', resource: view.bucketArns[0]! },
  ],
  ['read a failed batch', { action: 'sqs:ReceiveMessage', resource: view.queueArns[0]! }],
  ['publish an alert', { action: 'sns:Publish', resource: view.topicArns[0]! }],
];

describe('drift role (GitHub OIDC, the drift job)', () => {
  it('is trusted only by the drift environment of its environment', () => {
    const condition = properties.AssumeRolePolicyDocument.Statement[0]!.Condition.StringEquals;
    expect(condition['token.actions.githubusercontent.com:sub']).toBe(
      'repo:octo-org/anomaly-pipeline:environment:production-drift',
    );
  });

  it('finds the drift detection calls in cfn-drift', () => {
    expect([...new Set(actionCalls.map((c) => `${c.service}:${c.operation}`))].sort()).toEqual([
      'cloudformation:DescribeStackDriftDetectionStatus',
      'cloudformation:DescribeStackEvents',
      'cloudformation:DescribeStackResourceDrifts',
      'cloudformation:DescribeStacks',
      'cloudformation:DetectStackDrift',
      'cloudformation:ListStackResources',
    ]);
  });

  it.each(detectionRequests)('allows %s', async (_label, request) => {
    expect(await decide(stacks, driftRole, request)).toBe('Allowed');
  });

  it('allows every read CloudFormation makes for each resource of the stack', async () => {
    const requests = await handlerReadRequests();
    expect(requests.length).toBeGreaterThan(50);
    const denied: string[] = [];
    for (const [name, request] of requests)
      if ((await decide(stacks, driftRole, request)) !== 'Allowed') denied.push(name);
    expect(denied).toEqual([]);
  });

  it.each(mustDeny)('cannot %s', async (_label, request) => {
    expect(await decide(stacks, driftRole, request)).not.toBe('Allowed');
  });
});
