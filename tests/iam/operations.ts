import { SAMPLE, stackId } from './render';
import { resource, resourcesOfType, type Stacks } from './stacks';
import type { SdkCall } from './sdk-commands';

/**
 * What IAM authorizes for each SDK operation our code sends: the actions (usually the operation's
 * own name, sometimes another — `HeadObject` is `s3:GetObject` — and sometimes more than one, as
 * the API reference documents), on the ARNs of the stack that the call really touches.
 *
 * To add an operation: one entry, keyed `service:Operation`. An operation found in the code but
 * missing here fails the proof with its name.
 */

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
}

type Requests = (view: StackView, call: SdkCall) => IamRequest[];

const on =
  (action: string, arns: (view: StackView, call: SdkCall) => string[]): Requests =>
  (view, call) =>
    arns(view, call).map((arn) => ({ action, resource: arn }));
const all =
  (...parts: Requests[]): Requests =>
  (view, call) =>
    parts.flatMap((part) => part(view, call));

const stack = (view: StackView) => [view.stackArn];
const withRole =
  (action: string): Requests =>
  (view) => [
    {
      action,
      resource: view.stackArn,
      context: { 'cloudformation:RoleArn': view.executionRoleArn },
    },
  ];
const passExecutionRole: Requests = (view) => [
  {
    action: 'iam:PassRole',
    resource: view.executionRoleArn,
    context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
  },
];
/** CloudFormation resolves `AWS::SSM::Parameter::Value` parameters with the caller's credentials. */
const resolveParameters = on('ssm:GetParameters', (view) => view.publicParameterArns);
const functions = (view: StackView) => view.functionArns;
/** A call with a `Qualifier` (a published version) is authorized on the qualified ARN. */
const versions = (view: StackView) => view.functionArns.map((arn) => `${arn}:7`);
const objects = (view: StackView, call: SdkCall) => [view.objectArn(call.folder)];
/** An object in each bucket of the stack (teardown empties them all). */
const anyObjects = (view: StackView) =>
  view.bucketArns.map((arn) => `${arn}/aws/lambda/2026/11/27/0a1b2c3d.json`);
const applications = (view: StackView) =>
  view.deploymentGroups.map((group) => group.applicationArn);
const groups = (view: StackView) => view.deploymentGroups.map((group) => group.groupArn);
const tables = (view: StackView) => view.tableArns;
/**
 * The deployment configurations a deployment may name: each group's own, a CodeDeployDefault one
 * given as an input (deploy.yml's canary), and the one lambda-deploy creates for own weights.
 */
const configs = (view: StackView) => [
  ...new Set([
    ...view.deploymentGroups.map((group) => group.configArn),
    view.defaultDeploymentConfigArn,
    view.ownDeploymentConfigArn,
  ]),
];

export const OPERATIONS: Record<string, Requests> = {
  'cloudformation:CreateChangeSet': all(
    withRole('cloudformation:CreateChangeSet'),
    passExecutionRole,
    resolveParameters,
  ),
  // Naming a service role (RoleARN) on any stack operation, DeleteStack too, needs iam:PassRole.
  'cloudformation:DeleteStack': all(withRole('cloudformation:DeleteStack'), passExecutionRole),
  'cloudformation:DescribeChangeSet': on('cloudformation:DescribeChangeSet', stack),
  'cloudformation:DeleteChangeSet': on('cloudformation:DeleteChangeSet', stack),
  'cloudformation:ExecuteChangeSet': on('cloudformation:ExecuteChangeSet', stack),
  'cloudformation:GetTemplate': on('cloudformation:GetTemplate', stack),
  'cloudformation:ListChangeSets': on('cloudformation:ListChangeSets', stack),
  'cloudformation:DescribeStacks': on('cloudformation:DescribeStacks', stack),
  'cloudformation:DescribeStackEvents': on('cloudformation:DescribeStackEvents', stack),
  'cloudformation:ListStackResources': on('cloudformation:ListStackResources', stack),
  'cloudformation:DetectStackDrift': on('cloudformation:DetectStackDrift', stack),
  'cloudformation:DescribeStackDriftDetectionStatus': on(
    'cloudformation:DescribeStackDriftDetectionStatus',
    stack,
  ),
  'cloudformation:DescribeStackResourceDrifts': on(
    'cloudformation:DescribeStackResourceDrifts',
    stack,
  ),
  'cloudformation:UpdateTerminationProtection': on(
    'cloudformation:UpdateTerminationProtection',
    stack,
  ),
  's3:PutObject': on('s3:PutObject', objects),
  // Our code uploads when HeadObject answers 404; S3 answers a missing key with 404 only to a
  // caller that may list the bucket, and with 403 (a failed step) to one that may not.
  's3:HeadObject': all(
    on('s3:GetObject', objects),
    on('s3:ListBucket', (view) => [view.bucketArn]),
  ),
  's3:GetObject': on('s3:GetObject', objects),
  // Only teardown lists versions and deletes objects: it empties every bucket of the stack.
  's3:ListObjectVersions': on('s3:ListBucketVersions', (view) => view.bucketArns),
  's3:DeleteObjects': all(
    on('s3:DeleteObject', anyObjects),
    on('s3:DeleteObjectVersion', anyObjects),
  ),
  'lambda:GetFunction': on('lambda:GetFunction', functions),
  // Unqualified, and with the Qualifier of a published version (waitUntilPublishedVersionActive).
  'lambda:GetFunctionConfiguration': all(
    on('lambda:GetFunctionConfiguration', functions),
    on('lambda:GetFunctionConfiguration', versions),
  ),
  'lambda:PublishVersion': on('lambda:PublishVersion', functions),
  'lambda:ListVersionsByFunction': on('lambda:ListVersionsByFunction', functions),
  // From S3, Lambda reads the package with the caller's permissions.
  'lambda:UpdateFunctionCode': all(
    on('lambda:UpdateFunctionCode', functions),
    on('s3:GetObject', objects),
  ),
  'lambda:GetAlias': on('lambda:GetAlias', functions),
  'lambda:CreateAlias': on('lambda:CreateAlias', functions),
  'lambda:UpdateAlias': on('lambda:UpdateAlias', functions),
  // Our code invokes published versions (the pre-traffic check), never the function unqualified.
  'lambda:Invoke': on('lambda:InvokeFunction', versions),
  'codedeploy:GetDeploymentGroup': on('codedeploy:GetDeploymentGroup', groups),
  // codedeploy-push finds the group's instances by its tag filters (no resource-level permissions).
  'ec2:DescribeInstances': on('ec2:DescribeInstances', () => ['*']),
  // The API reference: CreateDeployment also needs GetDeploymentConfig and GetApplicationRevision…
  'codedeploy:CreateDeployment': all(
    on('codedeploy:CreateDeployment', groups),
    on('codedeploy:GetDeploymentConfig', configs),
    on('codedeploy:GetApplicationRevision', applications),
    // …and registers the revision with the application when it is new to it.
    on('codedeploy:RegisterApplicationRevision', applications),
    on('s3:GetObject', objects),
  ),
  'codedeploy:GetDeployment': on('codedeploy:GetDeployment', groups),
  'codedeploy:GetDeploymentConfig': on('codedeploy:GetDeploymentConfig', configs),
  // lambda-deploy's own weights (`canary:<percent>:<minutes>`): a configuration it names and creates.
  'codedeploy:CreateDeploymentConfig': on('codedeploy:CreateDeploymentConfig', (view) => [
    view.ownDeploymentConfigArn,
  ]),
  'codedeploy:ListDeploymentTargets': on('codedeploy:ListDeploymentTargets', groups),
  'codedeploy:BatchGetDeploymentTargets': on('codedeploy:BatchGetDeploymentTargets', groups),
  'dynamodb:CreateBackup': on('dynamodb:CreateBackup', tables),
  'dynamodb:DescribeBackup': on('dynamodb:DescribeBackup', (view) =>
    view.tableArns.map((arn) => `${arn}/backup/01732665600000-abcdef12`),
  ),
  'dynamodb:DescribeTable': on('dynamodb:DescribeTable', tables),
  'dynamodb:UpdateTable': on('dynamodb:UpdateTable', tables),
  // The detector and the producer.
  'dynamodb:BatchGetItem': on('dynamodb:BatchGetItem', tables),
  'dynamodb:BatchWriteItem': on('dynamodb:BatchWriteItem', tables),
  'dynamodb:GetItem': on('dynamodb:GetItem', tables),
  'dynamodb:PutItem': on('dynamodb:PutItem', tables),
  'dynamodb:UpdateItem': on('dynamodb:UpdateItem', tables),
  'dynamodb:Query': on('dynamodb:Query', tables),
  'dynamodb:TransactWriteItems': all(
    on('dynamodb:PutItem', tables),
    on('dynamodb:UpdateItem', tables),
    on('dynamodb:ConditionCheckItem', tables),
  ),
  'sns:Publish': on('sns:Publish', (view) => view.topicArns),
  'sns:PublishBatch': on('sns:Publish', (view) => view.topicArns),
  'sqs:SendMessage': on('sqs:SendMessage', (view) => view.queueArns),
  'sqs:SendMessageBatch': on('sqs:SendMessage', (view) => view.queueArns),
  'kinesis:PutRecords': on('kinesis:PutRecords', (view) => view.streamArns),
  'kinesis:PutRecord': on('kinesis:PutRecord', (view) => view.streamArns),
  // The producer reads the stream's shard count to warn when the fleet outgrows it.
  'kinesis:DescribeStreamSummary': on('kinesis:DescribeStreamSummary', (view) => view.streamArns),
};

export function requestsFor(view: StackView, call: SdkCall): IamRequest[] {
  const key = `${call.service}:${call.operation}`;
  const requests = OPERATIONS[key];
  if (!requests)
    throw new Error(
      `${call.folder} sends ${key}, which tests/iam/operations.ts does not map to IAM actions: add it to OPERATIONS`,
    );
  return requests(view, call);
}

/** The ARNs of the application stack that the deploy and preview roles' calls touch. */
export interface StackView {
  readonly stackArn: string;
  readonly executionRoleArn: string;
  readonly publicParameterArns: string[];
  readonly functionArns: string[];
  /** The artifact bucket. */
  readonly bucketArn: string;
  /** Every bucket of the stack, the artifact bucket among them. */
  readonly bucketArns: string[];
  readonly objectArn: (folder: string) => string;
  readonly tableArns: string[];
  readonly topicArns: string[];
  readonly queueArns: string[];
  readonly streamArns: string[];
  readonly deploymentGroups: { groupArn: string; applicationArn: string; configArn: string }[];
  readonly defaultDeploymentConfigArn: string;
  readonly ownDeploymentConfigArn: string;
}

/** Where each action puts its objects in the artifact bucket (see each action's code). */
const OBJECT_KEYS: Record<string, string> = {
  // s3-prefix (default `cloudformation/`) + the template's SHA-256: actions/shared/s3-upload.ts.
  'actions/cfn-deploy/src':
    'cloudformation/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.json',
  'actions/lambda-deploy/src': 'lambda/m03p02_anomaly_detector/0a1b2c.zip',
  'actions/codedeploy-push/src': 'codedeploy/anomaly-detection-producer/0a1b2c.zip',
  'actions/teardown/src': 'lambda/m03p02_anomaly_detector/0a1b2c.zip',
};

export function stackView(stacks: Stacks): StackView {
  const { app } = stacks;
  const bucketName = app.outputs.ArtifactBucketName!;
  const bucketArn = `arn:${SAMPLE.partition}:s3:::${bucketName}`;
  const region = `arn:${SAMPLE.partition}:codedeploy:${SAMPLE.region}:${SAMPLE.account}`;
  return {
    stackArn: stackId(app.sample),
    executionRoleArn: resource(stacks.bootstrap, 'ExecutionRole').attributes.Arn!,
    publicParameterArns: Object.values(app.parameters)
      .filter((value) => value.startsWith('/aws/service/'))
      // AWS's public parameters have no account in their ARN (`…:ssm:us-east-1::parameter/aws/…`),
      // which the evaluator cannot parse; the policies name them with `*` as the account, which
      // matches both, so the proof asks with the sample account in its place.
      .map(
        (name) => `arn:${SAMPLE.partition}:ssm:${SAMPLE.region}:${SAMPLE.account}:parameter${name}`,
      ),
    functionArns: resourcesOfType(app, 'AWS::Lambda::Function').map((fn) => fn.attributes.Arn!),
    bucketArn,
    bucketArns: resourcesOfType(app, 'AWS::S3::Bucket').map((bucket) => bucket.attributes.Arn!),
    objectArn: (folder) => {
      const key = OBJECT_KEYS[folder];
      if (!key)
        throw new Error(
          `${folder} puts objects, but OBJECT_KEYS in tests/iam/operations.ts has no key for it`,
        );
      return `${bucketArn}/${key}`;
    },
    tableArns: resourcesOfType(app, 'AWS::DynamoDB::Table').map((table) => table.attributes.Arn!),
    topicArns: resourcesOfType(app, 'AWS::SNS::Topic').map((topic) => topic.ref),
    queueArns: resourcesOfType(app, 'AWS::SQS::Queue').map((queue) => queue.attributes.Arn!),
    streamArns: resourcesOfType(app, 'AWS::Kinesis::Stream').map(
      (stream) => stream.attributes.Arn!,
    ),
    defaultDeploymentConfigArn: `${region}:deploymentconfig:CodeDeployDefault.LambdaCanary10Percent5Minutes`,
    // The name lambda-deploy gives `canary:10:5` (actions/lambda-deploy/src/release-inputs.ts).
    ownDeploymentConfigArn: `${region}:deploymentconfig:lambda-deploy.Canary10Percent5Minutes`,
    deploymentGroups: resourcesOfType(app, 'AWS::CodeDeploy::DeploymentGroup').map((group) => {
      const properties = group.properties as {
        ApplicationName: string;
        DeploymentConfigName?: string;
      };
      const config = properties.DeploymentConfigName ?? 'CodeDeployDefault.OneAtATime';
      return {
        groupArn: group.attributes.Arn!,
        applicationArn: `${region}:application:${properties.ApplicationName}`,
        configArn: `${region}:deploymentconfig:${config}`,
      };
    }),
  };
}
