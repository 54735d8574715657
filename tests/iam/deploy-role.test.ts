import { stackView, type IamRequest } from './operations';
import { decide } from './proof';
import { deployRoleActions, deployRoleRequests } from './role-requests';
import {
  actionNames,
  sdkCallsOfAction,
  sharedModulesOfAction,
  sharedModulesWithCalls,
} from './sdk-commands';
import { loadStacks } from './stacks';

// Every AWS call of our actions, found in their code (and the shared modules each runs),
// evaluated against the deploy role. cfn-drift runs as the drift role (drift-role.test.ts).
const stacks = loadStacks();
const view = stackView(stacks);
const calls = deployRoleActions().flatMap(sdkCallsOfAction);
const allowed = deployRoleRequests(stacks);

const account = '111122223333';
const other = {
  stack: `arn:aws:cloudformation:us-east-1:${account}:stack/payments/5a6b7c8d-0000-11f0-8000-000000000000`,
  fn: `arn:aws:lambda:us-east-1:${account}:function:payments-api`,
  table: `arn:aws:dynamodb:us-east-1:${account}:table/payments`,
  bucket: 'arn:aws:s3:::payments-exports',
};

const mustDeny: [string, IamRequest][] = [
  [
    'create a role',
    { action: 'iam:CreateRole', resource: `arn:aws:iam::${account}:role/anomaly-detection-x` },
  ],
  [
    'attach a policy to its own role',
    {
      action: 'iam:AttachRolePolicy',
      resource: `arn:aws:iam::${account}:role/anomaly-detection-github-deploy`,
    },
  ],
  [
    'pass a role of the stack (only CloudFormation passes those)',
    {
      action: 'iam:PassRole',
      resource: `arn:aws:iam::${account}:role/anomaly-detection-detector`,
      context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    },
  ],
  [
    'pass the execution role to another service',
    {
      action: 'iam:PassRole',
      resource: view.executionRoleArn,
      context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    },
  ],
  ["update another function's code", { action: 'lambda:UpdateFunctionCode', resource: other.fn }],
  ["move another function's alias", { action: 'lambda:UpdateAlias', resource: other.fn }],
  ['invoke another function', { action: 'lambda:InvokeFunction', resource: `${other.fn}:3` }],
  [
    'create a deployment configuration lambda-deploy does not name',
    {
      action: 'codedeploy:CreateDeploymentConfig',
      resource: `arn:aws:codedeploy:us-east-1:${account}:deploymentconfig:CodeDeployDefault.Everything`,
    },
  ],
  [
    "change the function's configuration",
    { action: 'lambda:UpdateFunctionConfiguration', resource: view.functionArns[0]! },
  ],
  [
    'delete another stack',
    {
      action: 'cloudformation:DeleteStack',
      resource: other.stack,
      context: { 'cloudformation:RoleArn': view.executionRoleArn },
    },
  ],
  [
    'delete the stack with its own credentials',
    { action: 'cloudformation:DeleteStack', resource: view.stackArn },
  ],
  [
    'create a change set that runs with its own credentials',
    { action: 'cloudformation:CreateChangeSet', resource: view.stackArn },
  ],
  [
    'stop the producer instance',
    {
      action: 'ec2:StopInstances',
      resource: `arn:aws:ec2:us-east-1:${account}:instance/i-0123456789abcdef0`,
    },
  ],
  ['delete a table', { action: 'dynamodb:DeleteTable', resource: view.tableArns[0]! }],
  ['update another table', { action: 'dynamodb:UpdateTable', resource: other.table }],
  ['read the anomalies', { action: 'dynamodb:Scan', resource: view.tableArns[0]! }],
  ['read another bucket', { action: 's3:GetObject', resource: `${other.bucket}/report.csv` }],
  [
    'read the failed batches (readings), though teardown may delete them',
    {
      action: 's3:GetObject',
      resource: `${stacks.app.resources.FailedBatchBucket!.attributes.Arn!}/aws/lambda/2026/11/27/0a1b2c3d.json`,
    },
  ],
  [
    'empty another bucket',
    { action: 's3:DeleteObjectVersion', resource: `${other.bucket}/report.csv` },
  ],
  [
    'decrypt with the stack key directly',
    { action: 'kms:Decrypt', resource: stacks.app.resources.EncryptionKey!.attributes.Arn! },
  ],
  [
    'read other SSM parameters',
    {
      action: 'ssm:GetParameters',
      resource: `arn:aws:ssm:us-east-1:${account}:parameter/payments/db-password`,
    },
  ],
];

describe('deploy role (GitHub OIDC, deploy environment)', () => {
  it('finds the SDK commands of every action in their code', () => {
    const operations = calls.map((call) => `${call.service}:${call.operation}`);
    expect(operations).toEqual(
      expect.arrayContaining([
        'cloudformation:CreateChangeSet',
        'lambda:UpdateFunctionCode',
        'codedeploy:CreateDeployment',
        'dynamodb:CreateBackup',
        's3:PutObject',
      ]),
    );
  });

  it('proves the calls of every shared module through the actions that import it', () => {
    // A shared module no action is found to import would be missing from the proof: an import
    // the scan does not follow, or code no action runs.
    const run = new Set(actionNames().flatMap((name) => [...sharedModulesOfAction(name)]));
    const withCalls = sharedModulesWithCalls();
    expect(withCalls.filter((module) => !run.has(module))).toEqual([]);
    expect(withCalls).toEqual(expect.arrayContaining(['cloudformation', 's3-upload']));
  });

  it.each(allowed)('allows %s', async (_label, request) => {
    expect(await decide(stacks, stacks.deployRole, request)).toBe('Allowed');
  });

  it.each(mustDeny)('cannot %s', async (_label, request) => {
    expect(await decide(stacks, stacks.deployRole, request)).not.toBe('Allowed');
  });
});
