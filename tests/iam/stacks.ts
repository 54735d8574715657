import { physicalNames, PRODUCTION } from '../../bootstrap/src/environments';
import type { PolicyDocument } from './evaluate';
import {
  readTemplate,
  renderTemplate,
  SAMPLE,
  type RenderedResource,
  type RenderedTemplate,
} from './render';

/**
 * Both templates rendered for the sample account, and what the proof needs from them: each
 * principal with the policies that apply to it, and the resource policy and tags of any ARN.
 */

export interface Principal {
  readonly arn: string;
  readonly identityPolicies: readonly PolicyDocument[];
  readonly boundary?: PolicyDocument | undefined;
  readonly trust: PolicyDocument;
}

export interface Stacks {
  readonly app: RenderedTemplate;
  readonly bootstrap: RenderedTemplate;
  readonly deployRole: Principal;
  readonly previewRole: Principal;
  readonly executionRole: Principal;
  /** Roles the application stack creates, by logical id. */
  readonly stackRoles: Record<string, Principal>;
  readonly boundary: PolicyDocument;
}

export function loadStacks(
  appTemplate = readTemplate('anomaly-detection.json'),
  bootstrapTemplate = readTemplate('bootstrap-oidc.json'),
  appParameters: Record<string, string> = {},
  environment = PRODUCTION,
): Stacks {
  // Each environment's stacks as its bootstrap deploys them (bootstrap/src/environments.ts).
  const names = physicalNames(environment);
  const app = renderTemplate(
    appTemplate,
    { EnvironmentName: environment, ...appParameters },
    { ...SAMPLE, stackName: names.stackName },
  );
  const bootstrap = renderTemplate(
    bootstrapTemplate,
    {
      GitHubOwner: 'octo-org',
      RepositoryName: 'anomaly-pipeline',
      EnvironmentName: environment,
      StackName: names.stackName,
      FunctionName: names.functionName,
      TableName: names.tableName,
      StreamName: names.streamName,
      TopicName: names.topicName,
    },
    { ...SAMPLE, stackName: `${names.stackName}-bootstrap` },
  );
  const boundary = policyOf(resource(bootstrap, 'PermissionsBoundary'));
  const managed = (arn: string): PolicyDocument => {
    const found = Object.values(bootstrap.resources).find(
      (candidate) => candidate.type === 'AWS::IAM::ManagedPolicy' && candidate.ref === arn,
    );
    if (!found) throw new Error(`managed policy ${arn} is not defined in the bootstrap`);
    return policyOf(found);
  };
  const roleOf = (template: RenderedTemplate, logicalId: string): Principal => {
    const role = resource(template, logicalId);
    const properties = role.properties as {
      Policies?: { PolicyDocument: PolicyDocument }[];
      ManagedPolicyArns?: string[];
      PermissionsBoundary?: string;
      AssumeRolePolicyDocument: PolicyDocument;
    };
    const boundaryArn = properties.PermissionsBoundary;
    return {
      arn: role.attributes.Arn!,
      identityPolicies: [
        ...(properties.Policies ?? []).map((policy) => policy.PolicyDocument),
        ...(properties.ManagedPolicyArns ?? []).map(managed),
      ],
      boundary: boundaryArn === undefined ? undefined : managed(boundaryArn),
      trust: properties.AssumeRolePolicyDocument,
    };
  };
  const stackRoles = Object.fromEntries(
    Object.values(app.resources)
      .filter((candidate) => candidate.type === 'AWS::IAM::Role')
      .map((role) => [role.logicalId, roleOf(app, role.logicalId)]),
  );
  return {
    app,
    bootstrap,
    deployRole: roleOf(bootstrap, 'DeployRole'),
    previewRole: roleOf(bootstrap, 'PreviewRole'),
    executionRole: roleOf(bootstrap, 'ExecutionRole'),
    stackRoles,
    boundary,
  };
}

export function resource(template: RenderedTemplate, logicalId: string): RenderedResource {
  const found = template.resources[logicalId];
  if (!found) throw new Error(`no resource ${logicalId} in the rendered template`);
  return found;
}

export function resourcesOfType(template: RenderedTemplate, type: string): RenderedResource[] {
  return Object.values(template.resources).filter((candidate) => candidate.type === type);
}

/** The stack resource an ARN belongs to (the resource itself, or an object/stream inside it). */
export function ownerOf(template: RenderedTemplate, arn: string): RenderedResource | undefined {
  return Object.values(template.resources).find((candidate) => candidate.arns.includes(arn));
}

/** Key policy, bucket policy, queue or topic policy that applies to the ARN, if any. */
export function resourcePolicyFor(
  template: RenderedTemplate,
  arn: string,
): PolicyDocument | undefined {
  const owner = ownerOf(template, arn);
  if (!owner) return undefined;
  if (owner.type === 'AWS::KMS::Key') return owner.properties.KeyPolicy as PolicyDocument;
  const policy = Object.values(template.resources).find((candidate) => {
    const properties = candidate.properties;
    if (candidate.type === 'AWS::S3::BucketPolicy') return properties.Bucket === owner.ref;
    if (candidate.type === 'AWS::SQS::QueuePolicy')
      return (properties.Queues as string[]).includes(owner.ref);
    if (candidate.type === 'AWS::SNS::TopicPolicy')
      return (properties.Topics as string[]).includes(owner.ref);
    return false;
  });
  return policy?.properties.PolicyDocument as PolicyDocument | undefined;
}

/** Resource types CloudFormation tags with `aws:cloudformation:stack-name` (resource schemas' `cloudFormationSystemTags`). */
export const SYSTEM_TAGGED = new Set([
  'AWS::EC2::VPC',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::Subnet',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::FlowLog',
  'AWS::EC2::Instance',
  'AWS::Logs::LogGroup',
  'AWS::SNS::Topic',
  'AWS::S3::Bucket',
  'AWS::Lambda::Function',
  'AWS::Lambda::EventSourceMapping',
  'AWS::CloudWatch::Alarm',
  'AWS::AutoScaling::AutoScalingGroup',
]);

/** The tags a stack resource carries: CloudFormation's system tags and its own `Tags`. */
export function tagsOf(
  resourceOf: RenderedResource,
  stackName = SAMPLE.stackName,
): Record<string, string> {
  const tags: Record<string, string> = {};
  if (SYSTEM_TAGGED.has(resourceOf.type)) tags['aws:cloudformation:stack-name'] = stackName;
  // A launch template carries its own tags in TagSpecifications (CloudFormation adds none).
  const specifications = resourceOf.properties.TagSpecifications;
  if (resourceOf.type === 'AWS::EC2::LaunchTemplate' && Array.isArray(specifications))
    for (const specification of specifications as {
      ResourceType: string;
      Tags: { Key: string; Value: string }[];
    }[])
      if (specification.ResourceType === 'launch-template')
        for (const tag of specification.Tags) tags[tag.Key] = tag.Value;
  const own = resourceOf.properties.Tags;
  if (Array.isArray(own))
    for (const tag of own as { Key: string; Value: string }[]) tags[tag.Key] = tag.Value;
  return tags;
}

function policyOf(managedPolicy: RenderedResource): PolicyDocument {
  return managedPolicy.properties.PolicyDocument as PolicyDocument;
}
