import type { PolicyDocument } from './evaluate';
import { decide } from './proof';
import {
  deployRoleRequests,
  executionRoleRequests,
  previewRoleRequests,
  type LabelledRequest,
} from './role-requests';
import { stackRoleCases } from './stack-role-cases';
import { loadStacks, type Principal } from './stacks';

/**
 * The proof can fail: without any one Allow statement of a role, some request the role's
 * callers send is refused. A statement no request needs is either removed from the template or
 * explained here; the ListBucket case shows a permission that only a second request needs.
 */

const stacks = loadStacks();
const stackRoles = stackRoleCases(stacks);

/** Statements no request of the proof needs, and why they stay. */
const EXPLAINED: Record<string, string> = {
  'ExecutionRole CreateEc2ResourcesWithoutSystemTagsTaggedForTheStack':
    'for the launch template planned-additions.test.ts proves (CloudFormation puts no system tag on it)',
  'ExecutionRole ChangeEc2ResourcesWithoutSystemTagsOfTheStack':
    'for the launch template planned-additions.test.ts proves (CloudFormation puts no system tag on it)',
  'ExecutionRole ResolvePublicAmiParameters':
    "CloudFormation resolves the AMI's public SSM parameter; AWS does not document whether it does so as the caller (proven for the deploy role) or as the stack's service role, so both may",
};

interface Located {
  readonly id: string;
  readonly actions: string[];
  readonly without: Principal;
}

/** Each Allow statement of the role's policies, with the role as it is without it. */
function allowStatements(role: string, principal: Principal): Located[] {
  return principal.identityPolicies.flatMap((policy, p) =>
    policy.Statement.flatMap((statement, s) => {
      if (statement.Effect !== 'Allow') return [];
      const identityPolicies = principal.identityPolicies.map((other, q): PolicyDocument =>
        q === p ? { ...other, Statement: other.Statement.filter((_, t) => t !== s) } : other,
      );
      const actions = [statement.Action ?? statement.NotAction ?? []].flat() as string[];
      return [
        {
          id: `${role} ${typeof statement.Sid === 'string' ? statement.Sid : `policy ${p} statement ${s}`}`,
          actions,
          without: { ...principal, identityPolicies },
        },
      ];
    }),
  );
}

const pattern = (action: string) =>
  new RegExp(`^${action.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');

/** The first request refused to the principal, trying those the statement names first. */
async function firstRefused(
  principal: Principal,
  actions: string[],
  requests: readonly LabelledRequest[],
): Promise<string | undefined> {
  const named = (request: LabelledRequest) =>
    actions.some((action) => pattern(action).test(request[1].action));
  const ordered = [...requests.filter(named), ...requests.filter((one) => !named(one))];
  for (const [name, request] of ordered)
    if ((await decide(stacks, principal, request)) !== 'Allowed') return name;
  return undefined;
}

const roles: [string, () => Principal, () => Promise<LabelledRequest[]>][] = [
  ['DeployRole', () => stacks.deployRole, () => Promise.resolve(deployRoleRequests(stacks))],
  ['PreviewRole', () => stacks.previewRole, () => Promise.resolve(previewRoleRequests(stacks))],
  ['ExecutionRole', () => stacks.executionRole, () => executionRoleRequests(stacks)],
  // The roles the stack creates: their code's requests and the services' on their behalf.
  ...stackRoles.map(
    ({ role, allowed }): [string, () => Principal, () => Promise<LabelledRequest[]>] => [
      role,
      () => stacks.stackRoles[role]!,
      () => Promise.resolve(allowed),
    ],
  ),
];

describe.each(roles)('%s without one of its Allow statements', (role, principal, requestsOf) => {
  it('fails the proof for every statement but the explained ones', async () => {
    const requests = await requestsOf();
    expect(await firstRefused(principal(), [], requests)).toBeUndefined();
    const unneeded: string[] = [];
    for (const statement of allowStatements(role, principal()))
      if (!(await firstRefused(statement.without, statement.actions, requests)))
        unneeded.push(statement.id);
    expect(unneeded.sort()).toEqual(
      Object.keys(EXPLAINED)
        .filter((id) => id.startsWith(`${role} `))
        .sort(),
    );
  });
});

describe('the permissions boundary without one of its Allow statements', () => {
  it('fails the proof of some role of the stack for every statement but the explained ones', async () => {
    const boundaryOf = (policy: PolicyDocument): Principal => ({
      arn: 'PermissionsBoundary',
      identityPolicies: [policy],
      trust: { Version: '2012-10-17', Statement: [] },
    });
    const unneeded: string[] = [];
    for (const statement of allowStatements('PermissionsBoundary', boundaryOf(stacks.boundary))) {
      const [without] = statement.without.identityPolicies;
      let refused: string | undefined;
      for (const { role, allowed } of stackRoles) {
        const principal = { ...stacks.stackRoles[role]!, boundary: without };
        refused ??= await firstRefused(principal, statement.actions, allowed);
      }
      if (!refused) unneeded.push(statement.id);
    }
    expect(unneeded.sort()).toEqual(
      Object.keys(EXPLAINED)
        .filter((id) => id.startsWith('PermissionsBoundary '))
        .sort(),
    );
  });
});

describe('a permission only a second request needs', () => {
  it('the deploy role without s3:ListBucket fails the proof at HeadObject (a missing key would answer 403, not 404)', async () => {
    const withoutListBucket: Principal = {
      ...stacks.deployRole,
      identityPolicies: stacks.deployRole.identityPolicies.map((policy) => ({
        ...policy,
        Statement: policy.Statement.map((statement) => ({
          ...statement,
          Action: ([statement.Action ?? []].flat() as string[]).filter(
            (action) => action !== 's3:ListBucket',
          ),
        })),
      })),
    };
    expect(
      await firstRefused(withoutListBucket, ['s3:ListBucket'], deployRoleRequests(stacks)),
    ).toMatch(/s3:HeadObject → s3:ListBucket on arn:aws:s3:::/);
  });
});
