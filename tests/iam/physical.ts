/** The account, region, partition and stack name a rendered template is filled in for. */
export interface Sample {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly stackName: string;
}

/**
 * What CloudFormation gives each resource: its physical name (the given one, or the generated
 * `<stack>-<LogicalId>-<suffix>`), its Ref value, its GetAtt attributes and the ARNs IAM sees
 * for it. One entry a resource type; a type missing here fails the proof with a message saying
 * where to add it.
 */

export interface PhysicalResource {
  readonly name: string;
  readonly ref: string;
  readonly attributes: Record<string, string>;
  /** ARNs of the resource, then of the things inside it (objects, log streams), for IAM. */
  readonly arns: readonly string[];
}

type Properties = Record<string, unknown>;
type Build = (name: string, properties: Properties, at: Location) => Omit<PhysicalResource, 'name'>;

interface Location {
  readonly arn: (service: string, resource: string, options?: { global?: boolean }) => string;
  readonly sample: Sample;
  readonly id: string;
}

const GENERATED_SUFFIX = 'A1B2C3D4E5F6G';

/** Property that names the resource, when the template may name it; else a generated name. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Kinesis::Stream': 'Name',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::CodeDeploy::Application': 'ApplicationName',
  'AWS::CodeDeploy::DeploymentGroup': 'DeploymentGroupName',
  'AWS::AutoScaling::AutoScalingGroup': 'AutoScalingGroupName',
  'AWS::EC2::LaunchTemplate': 'LaunchTemplateName',
  'AWS::SSM::Parameter': 'Name',
  'AWS::Lambda::Alias': 'Name',
};

const named =
  (arnOf: (name: string, at: Location, properties: Properties) => string, extra: string[] = []) =>
  (refIsArn = false): Build =>
  (name, properties, at) => {
    const arn = arnOf(name, at, properties);
    return {
      ref: refIsArn ? arn : name,
      attributes: { Arn: arn },
      arns: [arn, ...extra.map((child) => `${arn}${child}`)],
    };
  };

const ec2Id =
  (prefix: string, kind: string, attributes: (id: string) => Record<string, string> = () => ({})) =>
  (): Build =>
  (_name, _properties, at) => {
    const id = `${prefix}-0${at.id}`;
    const arn = at.arn('ec2', `${kind}/${id}`);
    return { ref: id, attributes: { Arn: arn, ...attributes(id) }, arns: [arn] };
  };

/** Resources that are only links between others: IAM sees the resources they link. */
const link = (): Build => (name) => ({ ref: name, attributes: {}, arns: [] });

const BUILDERS: Record<string, Build> = {
  'AWS::KMS::Key': (_name, _properties, at) => {
    const id = `1234abcd-12ab-34cd-56ef-${at.id.padEnd(12, '0')}`;
    const arn = at.arn('kms', `key/${id}`);
    return { ref: id, attributes: { Arn: arn, KeyId: id }, arns: [arn] };
  },
  'AWS::KMS::Alias': named((name, at) => at.arn('kms', name))(),
  'AWS::EC2::VPC': ec2Id('vpc', 'vpc', (id) => ({ VpcId: id, CidrBlock: '10.42.0.0/16' }))(),
  'AWS::EC2::InternetGateway': ec2Id('igw', 'internet-gateway', (id) => ({
    InternetGatewayId: id,
  }))(),
  'AWS::EC2::Subnet': ec2Id('subnet', 'subnet', (id) => ({ SubnetId: id }))(),
  'AWS::EC2::RouteTable': ec2Id('rtb', 'route-table', (id) => ({ RouteTableId: id }))(),
  'AWS::EC2::SecurityGroup': ec2Id('sg', 'security-group', (id) => ({ GroupId: id }))(),
  'AWS::EC2::FlowLog': ec2Id('fl', 'vpc-flow-log', (id) => ({ Id: id }))(),
  'AWS::EC2::Instance': ec2Id('i', 'instance', (id) => ({ InstanceId: id }))(),
  'AWS::EC2::LaunchTemplate': ec2Id('lt', 'launch-template', (id) => ({
    LaunchTemplateId: id,
    LatestVersionNumber: '1',
    DefaultVersionNumber: '1',
  }))(),
  'AWS::EC2::VPCGatewayAttachment': link(),
  'AWS::EC2::Route': link(),
  'AWS::EC2::SubnetRouteTableAssociation': link(),
  'AWS::EC2::SecurityGroupIngress': link(),
  'AWS::EC2::SecurityGroupEgress': link(),
  'AWS::SQS::QueuePolicy': link(),
  'AWS::S3::BucketPolicy': link(),
  'AWS::Lambda::Permission': link(),
  'AWS::CloudFormation::WaitConditionHandle': (_name, _properties, at) => ({
    ref: `https://cloudformation-waitcondition-${at.sample.region}.s3.amazonaws.com/handle`,
    attributes: {},
    arns: [],
  }),
  'AWS::CloudFormation::WaitCondition': () => ({
    ref: 'wait',
    attributes: { Data: '{}' },
    arns: [],
  }),
  'AWS::Logs::LogGroup': (name, _properties, at) => {
    const arn = at.arn('logs', `log-group:${name}`);
    return {
      ref: name,
      attributes: { Arn: `${arn}:*` },
      arns: [arn, `${arn}:log-stream:2026/11/27/instance`],
    };
  },
  'AWS::Kinesis::Stream': named((name, at) => at.arn('kinesis', `stream/${name}`))(),
  'AWS::DynamoDB::Table': (name, _properties, at) => {
    const arn = at.arn('dynamodb', `table/${name}`);
    return {
      ref: name,
      attributes: { Arn: arn, StreamArn: `${arn}/stream/2026-11-27T00:00:00.000` },
      arns: [arn, `${arn}/backup/01732665600000-abcdef12`, `${arn}/index/byKind`],
    };
  },
  'AWS::SNS::Topic': (name, _properties, at) => {
    const arn = at.arn('sns', name);
    return { ref: arn, attributes: { TopicArn: arn, TopicName: name }, arns: [arn] };
  },
  'AWS::SNS::Subscription': (_name, properties, at) => {
    const arn = `${String(properties.TopicArn)}:8a21d249-4329-4871-acc6-${at.id.padEnd(12, '0')}`;
    return { ref: arn, attributes: { Arn: arn }, arns: [] };
  },
  'AWS::SQS::Queue': (name, _properties, at) => {
    const arn = at.arn('sqs', name);
    const url = `https://sqs.${at.sample.region}.amazonaws.com/${at.sample.account}/${name}`;
    return { ref: url, attributes: { Arn: arn, QueueName: name, QueueUrl: url }, arns: [arn] };
  },
  'AWS::S3::Bucket': (name, _properties, at) => {
    const arn = `arn:${at.sample.partition}:s3:::${name}`;
    return {
      ref: name,
      attributes: { Arn: arn, DomainName: `${name}.s3.amazonaws.com` },
      arns: [arn, `${arn}/lambda/${'0'.repeat(64)}.zip`],
    };
  },
  'AWS::Lambda::Function': named((name, at) => at.arn('lambda', `function:${name}`))(),
  // A qualified ARN (function:name:live) matches both Lambda's function and alias/version types,
  // which iam-simulate cannot tell apart: requests on them go to the function's ARN, and the
  // roles grant `function:name` and `function:name:*` alike.
  'AWS::Lambda::Alias': (name, properties, at) => {
    const arn = at.arn('lambda', `function:${String(properties.FunctionName)}:${name}`);
    return { ref: arn, attributes: { AliasArn: arn }, arns: [] };
  },
  'AWS::Lambda::Version': (_name, properties, at) => {
    const arn = at.arn('lambda', `function:${String(properties.FunctionName)}:1`);
    return { ref: arn, attributes: { Version: '1', FunctionArn: arn }, arns: [] };
  },
  'AWS::Lambda::EventSourceMapping': (_name, _properties, at) => {
    const id = `a1b2c3d4-5678-90ab-cdef-${at.id.padEnd(12, '0')}`;
    const arn = at.arn('lambda', `event-source-mapping:${id}`);
    return { ref: id, attributes: { Id: id, EventSourceMappingArn: arn }, arns: [arn] };
  },
  'AWS::CloudWatch::Alarm': named((name, at) => at.arn('cloudwatch', `alarm:${name}`))(),
  'AWS::CloudWatch::Dashboard': named((name, at) =>
    at.arn('cloudwatch', `dashboard/${name}`, { global: true }),
  )(),
  'AWS::IAM::Role': (name, properties, at) => {
    const path = typeof properties.Path === 'string' ? properties.Path : '/';
    const arn = at.arn('iam', `role${path}${name}`, { global: true });
    return { ref: name, attributes: { Arn: arn, RoleId: 'AROAEXAMPLE' }, arns: [arn] };
  },
  'AWS::IAM::InstanceProfile': named((name, at) =>
    at.arn('iam', `instance-profile/${name}`, { global: true }),
  )(),
  'AWS::IAM::ManagedPolicy': named((name, at) => at.arn('iam', `policy/${name}`, { global: true }))(
    true,
  ),
  'AWS::IAM::OIDCProvider': (_name, properties, at) => {
    const host = String(properties.Url).replace(/^https:\/\//, '');
    const arn = at.arn('iam', `oidc-provider/${host}`, { global: true });
    return { ref: arn, attributes: { Arn: arn }, arns: [arn] };
  },
  'AWS::CodeDeploy::Application': named((name, at) =>
    at.arn('codedeploy', `application:${name}`),
  )(),
  'AWS::CodeDeploy::DeploymentGroup': named((name, at, properties) =>
    at.arn('codedeploy', `deploymentgroup:${String(properties.ApplicationName)}/${name}`),
  )(),
  'AWS::AutoScaling::AutoScalingGroup': named((name, at) =>
    at.arn(
      'autoscaling',
      `autoScalingGroup:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b:autoScalingGroupName/${name}`,
    ),
  )(),
  'AWS::SSM::Parameter': named((name, at) =>
    at.arn('ssm', `parameter/${name.replace(/^\//, '')}`),
  )(),
};

export function physicalResource(
  type: string,
  logicalId: string,
  properties: Properties,
  sample: Sample,
): PhysicalResource {
  const build = BUILDERS[type];
  if (!build)
    throw new Error(
      `render: resource type ${type} (${logicalId}) has no physical-name rule; add one in tests/iam/physical.ts`,
    );
  const given = NAME_PROPERTY[type] ? properties[NAME_PROPERTY[type]] : undefined;
  const generated = `${sample.stackName}-${logicalId}-${GENERATED_SUFFIX}`;
  const name =
    typeof given === 'string'
      ? given
      : type === 'AWS::S3::Bucket'
        ? generated.toLowerCase()
        : generated;
  // Per stack, so that two environments' renderings never share a key or instance id.
  const id = hex(`${sample.stackName}/${logicalId}`);
  const at: Location = {
    sample,
    id,
    arn: (service, resource, options = {}) =>
      `arn:${sample.partition}:${service}:${options.global ? '' : sample.region}:${sample.account}:${resource}`,
  };
  return { name, ...build(name, properties, at) };
}

/** A stable, distinct hex id per logical id (EC2 ids, key ids). */
function hex(text: string): string {
  let hash = 0x811c9dc5;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0') + text.length.toString(16).padStart(4, '0');
}
