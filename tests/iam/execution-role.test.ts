import { NOT_APPLICABLE, NOT_GRANTED, NOT_IAM_ACTIONS } from './execution-exceptions';
import { handlerRequests, type HandlerRequest } from './handler-requests';
import type { IamRequest } from './operations';
import { decide, label } from './proof';
import { readTemplate } from './render';
import { loadStacks, type Stacks } from './stacks';

// CloudFormation creates, reads, updates and deletes every resource of the stack as the execution
// role: each handler permission of each resource, evaluated on the stack's own ARNs.
const stacks = loadStacks();
const account = stacks.app.sample.account;
const boundaryArn = `arn:aws:iam::${account}:policy/anomaly-detection-permissions-boundary`;

const mustDeny: [string, IamRequest][] = [
  [
    'create a role outside the stack prefix',
    {
      action: 'iam:CreateRole',
      resource: `arn:aws:iam::${account}:role/admin`,
      context: { 'iam:PermissionsBoundary': boundaryArn },
    },
  ],
  [
    'create a role of the stack without the boundary',
    { action: 'iam:CreateRole', resource: `arn:aws:iam::${account}:role/anomaly-detection-x` },
  ],
  [
    'create a role of the stack with another boundary',
    {
      action: 'iam:CreateRole',
      resource: `arn:aws:iam::${account}:role/anomaly-detection-x`,
      context: { 'iam:PermissionsBoundary': `arn:aws:iam::aws:policy/AdministratorAccess` },
    },
  ],
  [
    'attach a policy to a role outside the prefix',
    {
      action: 'iam:AttachRolePolicy',
      resource: `arn:aws:iam::${account}:role/admin`,
      context: { 'iam:PermissionsBoundary': boundaryArn },
    },
  ],
  [
    'pass a role outside the stack prefix',
    {
      action: 'iam:PassRole',
      resource: `arn:aws:iam::${account}:role/admin`,
      context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    },
  ],
  [
    'pass a role of the stack to another service',
    {
      action: 'iam:PassRole',
      resource: `arn:aws:iam::${account}:role/anomaly-detection-detector`,
      context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
    },
  ],
  [
    'pass itself',
    {
      action: 'iam:PassRole',
      resource: stacks.executionRole.arn,
      context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
    },
  ],
  [
    'rewrite the permissions boundary',
    { action: 'iam:CreatePolicyVersion', resource: boundaryArn },
  ],
  [
    'lift the boundary of a role of the stack',
    {
      action: 'iam:DeleteRolePermissionsBoundary',
      resource: `arn:aws:iam::${account}:role/anomaly-detection-detector`,
    },
  ],
  [
    'schedule the deletion of another key',
    {
      action: 'kms:ScheduleKeyDeletion',
      resource: `arn:aws:kms:us-east-1:${account}:key/00000000-0000-0000-0000-000000000000`,
      context: { 'aws:ResourceTag/StackName': 'payments' },
    },
  ],
  [
    'create a key not tagged for the stack',
    {
      action: 'kms:CreateKey',
      resource: '*',
      context: { 'aws:RequestTag/StackName': 'payments', 'aws:TagKeys': ['StackName'] },
    },
  ],
  [
    'delete another table',
    {
      action: 'dynamodb:DeleteTable',
      resource: `arn:aws:dynamodb:us-east-1:${account}:table/payments`,
    },
  ],
  [
    'delete another bucket',
    { action: 's3:DeleteBucket', resource: 'arn:aws:s3:::payments-exports' },
  ],
  [
    'delete another function',
    {
      action: 'lambda:DeleteFunction',
      resource: `arn:aws:lambda:us-east-1:${account}:function:payments-api`,
    },
  ],
  [
    'terminate an instance of another stack',
    {
      action: 'ec2:TerminateInstances',
      resource: `arn:aws:ec2:us-east-1:${account}:instance/i-0123456789abcdef0`,
      context: { 'aws:ResourceTag/aws:cloudformation:stack-name': 'payments' },
    },
  ],
  [
    'delete a stream of another application',
    {
      action: 'kinesis:DeleteStream',
      resource: `arn:aws:kinesis:us-east-1:${account}:stream/payments`,
    },
  ],
];

describe('CloudFormation execution role', () => {
  let requests: HandlerRequest[];
  let unplaced: { logicalId: string; action: string }[];
  let notIam: { logicalId: string; action: string }[];
  beforeAll(async () => {
    ({ requests, unplaced, notIam } = await handlerRequests(stacks.app));
  });

  it("allows every handler permission of every resource of the stack, on the stack's own resources", async () => {
    const refused: string[] = [];
    for (const request of requests.filter((candidate) => !(candidate.action in NOT_GRANTED)))
      if ((await decide(stacks, stacks.executionRole, request)) !== 'Allowed')
        refused.push(`${request.logicalId} (${request.phase}): ${label(request)}`);
    expect(refused).toEqual([]);
    expect(requests.length).toBeGreaterThan(500);
  });

  it('denies each handler permission it deliberately lacks (NOT_GRANTED)', async () => {
    // A call is allowed only if every resource it names is; one refused resource refuses it.
    const allAllowed = new Map<string, boolean>();
    for (const request of requests.filter((candidate) => candidate.action in NOT_GRANTED)) {
      const key = `${request.logicalId} (${request.phase}): ${request.action}`;
      const allowed = (await decide(stacks, stacks.executionRole, request)) === 'Allowed';
      allAllowed.set(key, (allAllowed.get(key) ?? true) && allowed);
    }
    expect([...allAllowed].filter(([, allowed]) => allowed).map(([key]) => key)).toEqual([]);
    const asked = new Set(requests.map((request) => request.action));
    expect(Object.keys(NOT_GRANTED).filter((action) => !asked.has(action))).toEqual([]);
  });

  it('finds a resource of the stack for every handler permission, except for features the stack does not use', () => {
    expect(
      [...new Set(unplaced.map((one) => one.action))].filter(
        (action) => !(action in NOT_APPLICABLE),
      ),
    ).toEqual([]);
    expect([...new Set(notIam.map((one) => one.action))].sort()).toEqual(
      [...NOT_IAM_ACTIONS].sort(),
    );
  });

  it.each(mustDeny)('cannot %s', async (_label, request) => {
    expect(await decide(stacks, stacks.executionRole, request)).not.toBe('Allowed');
  });

  it('can pass no role at all but to the services of the stack', () => {
    const passes = stacks.executionRole.identityPolicies
      .flatMap((policy) => policy.Statement)
      .filter(
        (statement) =>
          JSON.stringify(statement.Action).includes('iam:PassRole') || statement.Action === 'iam:*',
      );
    expect(passes.map((statement) => statement.Condition)).toEqual([
      { StringEquals: { 'iam:PassedToService': expect.any(Array) as unknown } },
    ]);
  });
});

describe("execution role coverage of the template's services", () => {
  const servicesOf = (stacksToCheck: Stacks) =>
    new Set(
      stacksToCheck.executionRole.identityPolicies
        .flatMap((policy) => policy.Statement)
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap(
          (statement) =>
            (Array.isArray(statement.Action) ? statement.Action : [statement.Action]) as string[],
        )
        .map((action) => action.split(':')[0]!),
    );
  const IAM_PREFIX: Record<string, string> = {
    Logs: 'logs',
    CloudWatch: 'cloudwatch',
    AutoScaling: 'autoscaling',
    CloudFormation: 'cloudformation',
  };
  const uncovered = (template: ReturnType<typeof readTemplate>) => {
    const covered = servicesOf(stacks);
    return Object.entries(template.Resources)
      .map(([, resource]) => resource.Type)
      .filter((type) => !type.startsWith('AWS::CloudFormation::'))
      .filter((type) => {
        const service = type.split('::')[1]!;
        return !covered.has(IAM_PREFIX[service] ?? service.toLowerCase());
      });
  };

  it('covers every service of the template', () => {
    expect(uncovered(readTemplate('anomaly-detection.json'))).toEqual([]);
  });

  it('fails for a resource type of a service the role does not cover', () => {
    const template = readTemplate('anomaly-detection.json');
    template.Resources.Queue2 = { Type: 'AWS::StepFunctions::StateMachine', Properties: {} };
    expect(uncovered(template)).toEqual(['AWS::StepFunctions::StateMachine']);
  });

  it('covers the additions planned for the stack (Auto Scaling, dashboards, Lambda aliases, wait conditions)', () => {
    const template = readTemplate('anomaly-detection.json');
    template.Resources.Group = { Type: 'AWS::AutoScaling::AutoScalingGroup' };
    template.Resources.Template = { Type: 'AWS::EC2::LaunchTemplate' };
    template.Resources.Dashboard = { Type: 'AWS::CloudWatch::Dashboard' };
    template.Resources.Live = { Type: 'AWS::Lambda::Alias' };
    template.Resources.Ready = { Type: 'AWS::CloudFormation::WaitCondition' };
    expect(uncovered(template)).toEqual([]);
  });
});
