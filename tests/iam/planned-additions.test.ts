import { NOT_APPLICABLE, NOT_GRANTED } from './execution-exceptions';
import { handlerRequests } from './handler-requests';
import { decide, label } from './proof';
import { readTemplate } from './render';
import { loadStacks } from './stacks';

// Resources other changes are planned to add (a launch template, a wait condition, a Lambda
// version and alias that the event source mapping invokes, a dashboard): the execution role
// already allows
// every handler permission of them, without a new grant. (An Auto Scaling group's handler also
// lists `ec2:Get*`, `ssm:Get*`, `elasticloadbalancing:Describe*` and `ec2:RunInstances`, which
// depend on how the group is built: the proof names what is missing once one is in the template.)
const sub = (text: string) => ({ 'Fn::Sub': text });
const template = readTemplate('anomaly-detection.json');
Object.assign(template.Resources, {
  PlannedLaunchTemplate: {
    Type: 'AWS::EC2::LaunchTemplate',
    Properties: {
      LaunchTemplateData: {
        ImageId: 'ami-0a1b2c3d4e5f60718',
        IamInstanceProfile: { Arn: { 'Fn::GetAtt': ['ProducerInstanceProfile', 'Arn'] } },
      },
      // CloudFormation puts no system tags on launch templates: the stack tags it itself.
      TagSpecifications: [
        {
          ResourceType: 'launch-template',
          Tags: [{ Key: 'StackName', Value: { Ref: 'AWS::StackName' } }],
        },
      ],
    },
  },
  PlannedReadyHandle: { Type: 'AWS::CloudFormation::WaitConditionHandle' },
  PlannedReady: {
    Type: 'AWS::CloudFormation::WaitCondition',
    Properties: { Handle: { Ref: 'PlannedReadyHandle' } },
  },
  PlannedVersion: {
    Type: 'AWS::Lambda::Version',
    Properties: { FunctionName: { Ref: 'DetectorFunction' } },
  },
  PlannedAlias: {
    Type: 'AWS::Lambda::Alias',
    Properties: {
      FunctionName: { Ref: 'DetectorFunction' },
      Name: 'live',
      FunctionVersion: { 'Fn::GetAtt': ['PlannedVersion', 'Version'] },
    },
  },
  // The mapping invokes the alias: lambda:FunctionArn is the alias's (qualified) ARN.
  PlannedAliasEventSource: {
    Type: 'AWS::Lambda::EventSourceMapping',
    Properties: {
      FunctionName: { Ref: 'PlannedAlias' },
      EventSourceArn: { 'Fn::GetAtt': ['ReadingStream', 'Arn'] },
      StartingPosition: 'LATEST',
    },
  },
  PlannedDashboard: {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: { DashboardName: sub('${AWS::StackName}-overview'), DashboardBody: '{}' },
  },
});
const stacks = loadStacks(template);

it('allows every handler permission of the planned resources', async () => {
  const { requests, unplaced } = await handlerRequests(stacks.app);
  const planned = requests.filter(
    (request) => request.logicalId.startsWith('Planned') && !(request.action in NOT_GRANTED),
  );
  const refused: string[] = [];
  for (const request of planned)
    if ((await decide(stacks, stacks.executionRole, request)) !== 'Allowed')
      refused.push(`${request.logicalId}: ${label(request)}`);
  expect(refused).toEqual([]);
  expect(planned.length).toBeGreaterThan(40);
  expect(
    unplaced
      .filter((one) => !(one.action in NOT_APPLICABLE))
      .map((one) => `${one.logicalId}: ${one.action}`),
  ).toEqual([]);
});
