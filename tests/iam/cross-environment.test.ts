import { handlerRequests } from './handler-requests';
import { requestsFor, stackView, type IamRequest } from './operations';
import { decide, label } from './proof';
import { actionNames, sdkCallsOfAction } from './sdk-commands';
import {
  actingRoles,
  loadEnvironment,
  namedTargets,
  onItsOwn,
  type Environment,
} from './environments';
import { resource, type Stacks } from './stacks';

// Staging and production live in one account: neither's deploy or execution role may touch
// anything of the other's (stack, function, table, stream, topic, buckets, key, roles), whatever
// the request. Each request is asked as the target environment's resources really are (their
// tags, key and bucket policies), by the other environment's role.
const stacks: Record<Environment, Stacks> = {
  staging: loadEnvironment('staging'),
  production: loadEnvironment('production'),
};
// The execution role reads EC2 and log-group metadata account-wide (`ec2:Describe*`,
// `logs:Describe*` on `*`: most of them have no resource-level permission at all), so it also
// describes the other environment's VPC, instance and log groups. It reads no data and changes
// nothing; every other request is refused.
const METADATA_READS = /^(ec2|logs):Describe/;
const directions: [Environment, Environment][] = [
  ['staging', 'production'],
  ['production', 'staging'],
];

/** Requests on each named target, with the context that would let its own roles through. */
function namedRequests(target: Stacks, actor: Stacks): [string, IamRequest][] {
  const arns = namedTargets(target);
  const on = (what: string, actions: string[], arn = arns[what]!, context = {}) =>
    actions.map((action): [string, IamRequest] => [what, { action, resource: arn, context }]);
  const roleRequests = Object.keys(arns)
    .filter((what) => what.startsWith('role '))
    .flatMap((what) => [
      ...on(what, ['iam:PassRole'], arns[what], { 'iam:PassedToService': 'lambda.amazonaws.com' }),
      ...on(what, ['iam:PassRole'], arns[what], {
        'iam:PassedToService': 'cloudformation.amazonaws.com',
      }),
      ...on(
        what,
        ['iam:DeleteRole', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'],
        arns[what],
        {
          'iam:PermissionsBoundary': resource(actor.bootstrap, 'PermissionsBoundary').ref,
        },
      ),
    ]);
  const withRole = (roleArn: string) => ({ 'cloudformation:RoleArn': roleArn });
  return [
    ...on(
      'stack',
      [
        'cloudformation:CreateChangeSet',
        'cloudformation:ExecuteChangeSet',
        'cloudformation:DeleteStack',
      ],
      arns.stack,
      withRole(target.executionRole.arn),
    ),
    ...on(
      'stack',
      ['cloudformation:CreateChangeSet', 'cloudformation:DeleteStack'],
      arns.stack,
      withRole(actor.executionRole.arn),
    ),
    ...on('stack', ['cloudformation:DescribeStacks', 'cloudformation:DescribeChangeSet']),
    ...on('function', [
      'lambda:UpdateFunctionCode',
      'lambda:PublishVersion',
      'lambda:DeleteFunction',
    ]),
    ...on('function', ['lambda:InvokeFunction', 'lambda:UpdateAlias'], `${arns.function}:1`),
    ...on('table', [
      'dynamodb:PutItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:CreateBackup',
      'dynamodb:UpdateTable',
      'dynamodb:DeleteTable',
    ]),
    ...on('stream', [
      'kinesis:PutRecord',
      'kinesis:PutRecords',
      'kinesis:GetRecords',
      'kinesis:DeleteStream',
    ]),
    ...on('topic', ['sns:Publish', 'sns:Subscribe', 'sns:DeleteTopic']),
    ...['artifact bucket', 'failed-batch bucket'].flatMap((what) => [
      ...on(what, ['s3:ListBucket', 's3:ListBucketVersions', 's3:DeleteBucket']),
      ...on(
        what,
        ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        `${arns[what]}/lambda/0a1b2c.zip`,
      ),
    ]),
    ...on('key', ['kms:Decrypt', 'kms:GenerateDataKey'], arns.key, {
      'kms:ViaService': 'kinesis.us-east-1.amazonaws.com',
    }),
    ...on('key', ['kms:Decrypt', 'kms:GenerateDataKey'], arns.key, {
      'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com',
    }),
    ...on('key', ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:CreateGrant']),
    ...roleRequests,
  ];
}

/** What the target environment's own roles ask of its resources in a deployment. */
async function ownWork(target: Stacks): Promise<IamRequest[]> {
  const view = stackView(target);
  const deployCalls = actionNames()
    .flatMap(sdkCallsOfAction)
    .flatMap((call) => requestsFor(view, call));
  const { requests } = await handlerRequests(target.app);
  return onItsOwn(target, [...deployCalls, ...requests]);
}

describe.each(directions)('%s roles and the resources of %s', (from, to) => {
  const actor = stacks[from];
  const target = stacks[to];
  const named = namedRequests(target, actor);

  it.each(actingRoles(actor))('%s is refused every named request', async (_role, principal) => {
    const allowed: string[] = [];
    for (const [what, request] of named)
      if ((await decide(target, principal, request)) === 'Allowed')
        allowed.push(`${what}: ${label(request)}`);
    expect(allowed).toEqual([]);
  });

  it("asks requests the target's own roles are granted (so the refusals mean something)", async () => {
    let grantedToOwn = 0;
    for (const [, request] of named)
      for (const [, principal] of actingRoles(target))
        if ((await decide(target, principal, request)) === 'Allowed') grantedToOwn += 1;
    expect(grantedToOwn).toBeGreaterThan(30);
  });

  it.each(actingRoles(actor))(
    '%s is refused every request the other environment makes of its own resources',
    async (_role, principal) => {
      const work = await ownWork(target);
      const allowed: string[] = [];
      for (const request of work)
        if (
          !METADATA_READS.test(request.action) &&
          (await decide(target, principal, request)) === 'Allowed'
        )
          allowed.push(label(request));
      expect(allowed).toEqual([]);
      expect(work.length).toBeGreaterThan(500);
    },
  );
});
