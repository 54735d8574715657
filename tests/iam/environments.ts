import { isWildcardOnlyAction } from '@cloud-copilot/iam-simulate';
import { readTemplate, stackId } from './render';
import { ownerOf, resource, type Principal, type Stacks, loadStacks } from './stacks';
import type { IamRequest } from './operations';

/**
 * Staging and production rendered side by side in the sample account, each from the templates
 * with the parameters its bootstrap gives them (bootstrap/src/environments.ts), for the proof
 * that neither environment's roles reach the other's resources.
 */

export const ENVIRONMENTS = ['staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export function loadEnvironment(environment: Environment): Stacks {
  return loadStacks(
    readTemplate('anomaly-detection.json'),
    readTemplate('bootstrap-oidc.json'),
    {},
    environment,
  );
}

/** The roles of an environment that GitHub or CloudFormation act as. */
export const actingRoles = (stacks: Stacks): [string, Principal][] => [
  ['deploy role', stacks.deployRole],
  ['execution role', stacks.executionRole],
];

/** Every ARN that belongs to one environment alone: its stack, its resources, its roles. */
export function ownArns(stacks: Stacks): Set<string> {
  const arns = new Set<string>();
  for (const template of [stacks.app, stacks.bootstrap])
    for (const rendered of Object.values(template.resources))
      for (const arn of rendered.arns) arns.add(arn);
  return arns;
}

/**
 * The requests of `requests` that touch something of `stacks`' environment alone: requests on
 * `*` (actions without resource-level permissions) and on what environments share (AWS's own
 * deployment configurations, public parameters, images) say nothing about a boundary between
 * environments and are left to the single-environment proof.
 */
export async function onItsOwn(stacks: Stacks, requests: IamRequest[]): Promise<IamRequest[]> {
  const own = ownArns(stacks);
  const stackArnPrefix = `arn:aws:cloudformation:${stacks.app.sample.region}:${stacks.app.sample.account}:stack/${stacks.app.sample.stackName}/`;
  const kept: IamRequest[] = [];
  for (const request of requests) {
    const [service, name] = request.action.split(':') as [string, string];
    if (await isWildcardOnlyAction(service, name)) continue;
    if (
      own.has(request.resource) ||
      ownerOf(stacks.app, request.resource) !== undefined ||
      request.resource.startsWith(stackArnPrefix)
    )
      kept.push(request);
  }
  return kept;
}

/** ARNs the issue names: stack, function, table, stream, topic, buckets, key, roles. */
export function namedTargets(stacks: Stacks): Record<string, string> {
  const arnOf = (logicalId: string) => resource(stacks.app, logicalId).attributes.Arn!;
  const roles = (template: Stacks['app'], ids: string[]) =>
    Object.fromEntries(ids.map((id) => [`role ${id}`, resource(template, id).attributes.Arn!]));
  return {
    stack: stackId(stacks.app.sample),
    function: arnOf('DetectorFunction'),
    table: arnOf('AnomalyTable'),
    stream: arnOf('ReadingStream'),
    topic: resource(stacks.app, 'AlertTopic').ref,
    'artifact bucket': arnOf('ArtifactBucket'),
    'failed-batch bucket': arnOf('FailedBatchBucket'),
    key: arnOf('EncryptionKey'),
    ...roles(stacks.app, [
      'DetectorRole',
      'ProducerRole',
      'CodeDeployServiceRole',
      'VpcFlowLogRole',
    ]),
    ...roles(stacks.bootstrap, ['DeployRole', 'ExecutionRole', 'PreviewRole']),
  };
}
