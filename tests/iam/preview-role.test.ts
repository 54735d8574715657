import { stackView, type IamRequest } from './operations';
import { decide } from './proof';
import { previewRoleRequests } from './role-requests';
import { loadStacks } from './stacks';

// The pull-request preview's requests: those its code reaches (preview-requests.ts).
const stacks = loadStacks();
const view = stackView(stacks);
const allowed = previewRoleRequests(stacks);
const function0 = view.functionArns[0]!;
const mustDeny: [string, IamRequest][] = [
  ['execute a change set', { action: 'cloudformation:ExecuteChangeSet', resource: view.stackArn }],
  [
    'delete the stack',
    {
      action: 'cloudformation:DeleteStack',
      resource: view.stackArn,
      context: { 'cloudformation:RoleArn': view.executionRoleArn },
    },
  ],
  [
    'create a change set that runs with its own credentials',
    { action: 'cloudformation:CreateChangeSet', resource: view.stackArn },
  ],
  [
    'change termination protection',
    { action: 'cloudformation:UpdateTerminationProtection', resource: view.stackArn },
  ],
  [
    'write to the artifact bucket',
    { action: 's3:PutObject', resource: view.objectArn('actions/lambda-deploy/src') },
  ],
  ['update the detector code', { action: 'lambda:UpdateFunctionCode', resource: function0 }],
  [
    'start a deployment',
    { action: 'codedeploy:CreateDeployment', resource: view.deploymentGroups[0]!.groupArn },
  ],
  ['back up or change a table', { action: 'dynamodb:UpdateTable', resource: view.tableArns[0]! }],
  [
    'pass the execution role to anything but CloudFormation',
    {
      action: 'iam:PassRole',
      resource: view.executionRoleArn,
      context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    },
  ],
];

describe('preview role (GitHub OIDC, pull requests)', () => {
  it.each(allowed)('allows %s', async (_label, request) => {
    expect(await decide(stacks, stacks.previewRole, request)).toBe('Allowed');
  });

  it.each(mustDeny)('cannot %s', async (_label, request) => {
    expect(await decide(stacks, stacks.previewRole, request)).not.toBe('Allowed');
  });
});

describe('who may assume the GitHub roles', () => {
  const subjectOf = (trust: typeof stacks.deployRole.trust) =>
    (trust.Statement[0]!.Condition as Record<string, Record<string, string>>).StringEquals![
      'token.actions.githubusercontent.com:sub'
    ];

  it('the deploy role: only jobs of the deploy environment of the one repository', () => {
    expect(subjectOf(stacks.deployRole.trust)).toBe(
      'repo:octo-org/anomaly-pipeline:environment:production',
    );
  });

  it('the preview role: only the preview environment, never the deploy environment', () => {
    expect(subjectOf(stacks.previewRole.trust)).toBe(
      'repo:octo-org/anomaly-pipeline:environment:preview',
    );
  });

  it('the execution role: only CloudFormation', () => {
    expect(stacks.executionRole.trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudformation.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    ]);
  });
});
