/**
 * What CloudFormation calls, as the execution role, for each resource type this stack uses or is
 * likely to add: the `create` handler, then the `read`, `update` and `delete` handlers together,
 * as the resource provider schemas publish them (checked against AWS's schemas when written; see
 * docs/decisions.md). A type missing here fails the proof with its name.
 */
export interface HandlerPermissions {
  readonly create: readonly string[];
  readonly change: readonly string[];
}

const words = (text: string): readonly string[] => text.split(' ').filter(Boolean);

export const HANDLER_PERMISSIONS: Record<string, HandlerPermissions> = {
  'AWS::AutoScaling::AutoScalingGroup': {
    create: words(
      'autoscaling:CreateAutoScalingGroup autoscaling:CreateOrUpdateTags autoscaling:Describe* autoscaling:EnableMetricsCollection autoscaling:PutNotificationConfiguration autoscaling:UpdateAutoScalingGroup cloudwatch:PutMetricAlarm ec2:Describe* ec2:Get* ec2:RunInstances elasticloadbalancing:Describe* iam:CreateServiceLinkedRole iam:PassRole managed-fleets:CreateAutoScalingGroup managed-fleets:Get* managed-fleets:UpdateAutoScalingGroup ssm:Get* vpc-lattice:DeregisterTargets vpc-lattice:GetTargetGroup vpc-lattice:ListTargets vpc-lattice:RegisterTargets',
    ),
    change: words(
      'autoscaling:AttachLoadBalancerTargetGroups autoscaling:AttachLoadBalancers autoscaling:AttachTrafficSources autoscaling:CancelInstanceRefresh autoscaling:CreateOrUpdateTags autoscaling:DeleteAutoScalingGroup autoscaling:DeleteLifecycleHook autoscaling:DeleteNotificationConfiguration autoscaling:DeleteTags autoscaling:Describe* autoscaling:DetachLoadBalancerTargetGroups autoscaling:DetachLoadBalancers autoscaling:DetachTrafficSources autoscaling:DisableMetricsCollection autoscaling:EnableMetricsCollection autoscaling:PutLifecycleHook autoscaling:PutNotificationConfiguration autoscaling:StartInstanceRefresh autoscaling:UpdateAutoScalingGroup cloudwatch:PutMetricAlarm ec2:Describe* ec2:Get* ec2:RunInstances elasticloadbalancing:Describe* iam:CreateServiceLinkedRole iam:PassRole managed-fleets:DeleteAutoScalingGroup managed-fleets:DeregisterAutoScalingGroup managed-fleets:Get* managed-fleets:RegisterAutoScalingGroup managed-fleets:UpdateAutoScalingGroup ssm:Get* vpc-lattice:DeregisterTargets vpc-lattice:GetTargetGroup vpc-lattice:ListTargets vpc-lattice:RegisterTargets',
    ),
  },
  'AWS::CloudWatch::Alarm': {
    create: words('cloudwatch:DescribeAlarms cloudwatch:PutMetricAlarm cloudwatch:TagResource'),
    change: words(
      'cloudwatch:DeleteAlarms cloudwatch:DescribeAlarms cloudwatch:ListTagsForResource cloudwatch:PutMetricAlarm cloudwatch:TagResource cloudwatch:UntagResource',
    ),
  },
  'AWS::CloudWatch::Dashboard': {
    create: words('cloudwatch:GetDashboard cloudwatch:PutDashboard cloudwatch:TagResource'),
    change: words(
      'cloudwatch:DeleteDashboards cloudwatch:GetDashboard cloudwatch:ListTagsForResource cloudwatch:PutDashboard cloudwatch:TagResource cloudwatch:UntagResource',
    ),
  },
  'AWS::CodeDeploy::Application': {
    create: words('codedeploy:CreateApplication codedeploy:TagResource'),
    change: words(
      'codedeploy:DeleteApplication codedeploy:GetApplication codedeploy:ListTagsForResource codedeploy:TagResource codedeploy:UntagResource',
    ),
  },
  'AWS::CodeDeploy::DeploymentGroup': {
    create: words(
      'codedeploy:CreateDeployment codedeploy:CreateDeploymentGroup codedeploy:GetApplicationRevision codedeploy:GetDeployment codedeploy:GetDeploymentConfig codedeploy:GetDeploymentGroup codedeploy:ListDeployments codedeploy:RegisterApplicationRevision codedeploy:RegisterOnPremisesInstance codedeploy:TagResource codedeploy:UntagResource iam:PassRole',
    ),
    change: words(
      'codedeploy:CreateDeployment codedeploy:DeleteDeploymentGroup codedeploy:GetApplicationRevision codedeploy:GetDeployment codedeploy:GetDeploymentConfig codedeploy:GetDeploymentGroup codedeploy:ListDeployments codedeploy:ListTagsForResource codedeploy:RegisterApplicationRevision codedeploy:RegisterOnPremisesInstance codedeploy:StopDeployment codedeploy:TagResource codedeploy:UntagResource codedeploy:UpdateDeploymentGroup iam:PassRole',
    ),
  },
  'AWS::DynamoDB::Table': {
    create: words(
      'dynamodb:AssociateTableReplica dynamodb:BatchWriteItem dynamodb:CreateTable dynamodb:CreateTableReplica dynamodb:DeleteItem dynamodb:DescribeContinuousBackups dynamodb:DescribeContributorInsights dynamodb:DescribeImport dynamodb:DescribeKinesisStreamingDestination dynamodb:DescribeTable dynamodb:DescribeTimeToLive dynamodb:DisableKinesisStreamingDestination dynamodb:EnableKinesisStreamingDestination dynamodb:GetItem dynamodb:GetResourcePolicy dynamodb:ImportTable dynamodb:ListTagsOfResource dynamodb:PutItem dynamodb:PutResourcePolicy dynamodb:Query dynamodb:Scan dynamodb:TagResource dynamodb:UpdateContinuousBackups dynamodb:UpdateContributorInsights dynamodb:UpdateItem dynamodb:UpdateTable dynamodb:UpdateTimeToLive iam:CreateServiceLinkedRole kinesis:DescribeStream kinesis:PutRecords kms:CreateGrant kms:Decrypt kms:DescribeKey kms:Encrypt kms:ListAliases kms:RevokeGrant logs:CreateLogGroup logs:CreateLogStream logs:DescribeLogGroups logs:DescribeLogStreams logs:PutLogEvents logs:PutRetentionPolicy s3:GetObject s3:GetObjectMetadata s3:ListBucket',
    ),
    change: words(
      'dynamodb:AssociateTableReplica dynamodb:BatchWriteItem dynamodb:CreateTable dynamodb:CreateTableReplica dynamodb:DeleteItem dynamodb:DeleteResourcePolicy dynamodb:DeleteTable dynamodb:DescribeContinuousBackups dynamodb:DescribeContributorInsights dynamodb:DescribeKinesisStreamingDestination dynamodb:DescribeTable dynamodb:DescribeTimeToLive dynamodb:DisableKinesisStreamingDestination dynamodb:EnableKinesisStreamingDestination dynamodb:GetItem dynamodb:GetResourcePolicy dynamodb:ListTagsOfResource dynamodb:PutItem dynamodb:PutResourcePolicy dynamodb:Query dynamodb:Scan dynamodb:TagResource dynamodb:UntagResource dynamodb:UpdateContinuousBackups dynamodb:UpdateContributorInsights dynamodb:UpdateItem dynamodb:UpdateKinesisStreamingDestination dynamodb:UpdateTable dynamodb:UpdateTimeToLive iam:CreateServiceLinkedRole kinesis:DescribeStream kinesis:PutRecords kms:CreateGrant kms:DescribeKey kms:ListAliases kms:RevokeGrant',
    ),
  },
  'AWS::EC2::FlowLog': {
    create: words(
      'autoscaling:DescribeTags ec2:CreateFlowLogs ec2:CreateTags ec2:DescribeFlowLogs ec2:DescribeTags iam:CreateServiceLinkedRole iam:PassRole logs:CreateLogDelivery s3:GetBucketPolicy s3:PutBucketPolicy',
    ),
    change: words(
      'ec2:CreateTags ec2:DeleteFlowLogs ec2:DeleteTags ec2:DescribeFlowLogs logs:DeleteLogDelivery',
    ),
  },
  'AWS::EC2::Instance': {
    create: words(
      'ec2:AssociateIamInstanceProfile ec2:AttachVolume ec2:CreateTags ec2:DescribeIamInstanceProfileAssociations ec2:DescribeInstanceAttribute ec2:DescribeInstanceCreditSpecifications ec2:DescribeInstances ec2:DescribeKeyPairs ec2:DescribeLaunchTemplateVersions ec2:DescribeLaunchTemplates ec2:DescribeNetworkInterfaces ec2:DescribeSecurityGroups ec2:DescribeSubnets ec2:DescribeVolumes ec2:DescribeVpcs ec2:DetachVolume ec2:DisassociateIamInstanceProfile ec2:ModifyInstanceAttribute ec2:ModifyInstanceCreditSpecification ec2:ModifyInstancePlacement ec2:ModifyPrivateDnsNameOptions ec2:MonitorInstances ec2:ReplaceIamInstanceProfileAssociation ec2:RunInstances ec2:StartInstances iam:PassRole ssm:CreateAssociation ssm:DescribeAssociation ssm:ListAssociations',
    ),
    change: words(
      'ec2:AssociateIamInstanceProfile ec2:AttachVolume ec2:CreateTags ec2:DeleteTags ec2:DescribeIamInstanceProfileAssociations ec2:DescribeInstanceAttribute ec2:DescribeInstanceCreditSpecifications ec2:DescribeInstances ec2:DescribeKeyPairs ec2:DescribeLaunchTemplates ec2:DescribeNetworkInterfaces ec2:DescribeSecurityGroups ec2:DescribeSubnets ec2:DescribeVolumes ec2:DescribeVpcs ec2:DetachVolume ec2:DisassociateIamInstanceProfile ec2:ModifyInstanceAttribute ec2:ModifyInstanceCreditSpecification ec2:ModifyInstanceMaintenanceOptions ec2:ModifyInstanceMetadataOptions ec2:ModifyInstancePlacement ec2:ModifyPrivateDnsNameOptions ec2:MonitorInstances ec2:ReplaceIamInstanceProfileAssociation ec2:StartInstances ec2:StopInstances ec2:TerminateInstances ec2:UnmonitorInstances ssm:CreateAssociation ssm:DeleteAssociation ssm:DescribeAssociation ssm:ListAssociations',
    ),
  },
  'AWS::EC2::InternetGateway': {
    create: words('ec2:CreateInternetGateway ec2:CreateTags ec2:DescribeInternetGateways'),
    change: words(
      'ec2:CreateTags ec2:DeleteInternetGateway ec2:DeleteTags ec2:DescribeInternetGateways',
    ),
  },
  'AWS::EC2::LaunchTemplate': {
    create: words('ec2:CreateLaunchTemplate ec2:CreateTags'),
    change: words(
      'ec2:CreateLaunchTemplateVersion ec2:CreateTags ec2:DeleteLaunchTemplate ec2:DeleteTags ec2:DescribeLaunchTemplates',
    ),
  },
  'AWS::EC2::Route': {
    create: words('ec2:CreateRoute ec2:DescribeNetworkInterfaces ec2:DescribeRouteTables'),
    change: words(
      'ec2:DeleteRoute ec2:DescribeNetworkInterfaces ec2:DescribeRouteTables ec2:ReplaceRoute',
    ),
  },
  'AWS::EC2::RouteTable': {
    create: words('ec2:CreateRouteTable ec2:CreateTags ec2:DescribeRouteTables'),
    change: words('ec2:CreateTags ec2:DeleteRouteTable ec2:DeleteTags ec2:DescribeRouteTables'),
  },
  'AWS::EC2::SecurityGroup': {
    create: words(
      'ec2:AuthorizeSecurityGroupEgress ec2:AuthorizeSecurityGroupIngress ec2:CreateSecurityGroup ec2:CreateTags ec2:DescribeSecurityGroups ec2:RevokeSecurityGroupEgress',
    ),
    change: words(
      'ec2:AuthorizeSecurityGroupEgress ec2:AuthorizeSecurityGroupIngress ec2:CreateTags ec2:DeleteSecurityGroup ec2:DeleteTags ec2:DescribeInstances ec2:DescribeSecurityGroups ec2:RevokeSecurityGroupEgress ec2:RevokeSecurityGroupIngress ec2:UpdateSecurityGroupRuleDescriptionsEgress ec2:UpdateSecurityGroupRuleDescriptionsIngress',
    ),
  },
  'AWS::EC2::SecurityGroupEgress': {
    create: words(
      'ec2:AuthorizeSecurityGroupEgress ec2:DescribeSecurityGroupRules ec2:RevokeSecurityGroupEgress',
    ),
    change: words(
      'ec2:DescribeSecurityGroupRules ec2:RevokeSecurityGroupEgress ec2:UpdateSecurityGroupRuleDescriptionsEgress',
    ),
  },
  'AWS::EC2::SecurityGroupIngress': {
    create: words('ec2:AuthorizeSecurityGroupIngress ec2:DescribeSecurityGroupRules'),
    change: words(
      'ec2:DescribeSecurityGroupRules ec2:DescribeSecurityGroups ec2:RevokeSecurityGroupIngress ec2:UpdateSecurityGroupRuleDescriptionsIngress',
    ),
  },
  'AWS::EC2::Subnet': {
    create: words('ec2:CreateSubnet ec2:CreateTags ec2:DescribeSubnets ec2:ModifySubnetAttribute'),
    change: words(
      'ec2:AssociateSubnetCidrBlock ec2:CreateTags ec2:DeleteSubnet ec2:DeleteTags ec2:DescribeNetworkAcls ec2:DescribeSubnets ec2:DisassociateSubnetCidrBlock ec2:ModifySubnetAttribute',
    ),
  },
  'AWS::EC2::SubnetRouteTableAssociation': {
    create: words(
      'ec2:AssociateRouteTable ec2:DescribeRouteTables ec2:DescribeSubnets ec2:ReplaceRouteTableAssociation',
    ),
    change: words('ec2:DescribeRouteTables ec2:DescribeSubnets ec2:DisassociateRouteTable'),
  },
  'AWS::EC2::VPC': {
    create: words(
      'ec2:CreateTags ec2:CreateVpc ec2:CreateVpcEncryptionControl ec2:DescribeVpcAttribute ec2:DescribeVpcs ec2:ModifyVpcAttribute',
    ),
    change: words(
      'ec2:CreateTags ec2:DeleteTags ec2:DeleteVpc ec2:DescribeNetworkAcls ec2:DescribeSecurityGroups ec2:DescribeVpcAttribute ec2:DescribeVpcEncryptionControls ec2:DescribeVpcs ec2:ModifyVpcAttribute ec2:ModifyVpcTenancy',
    ),
  },
  'AWS::EC2::VPCGatewayAttachment': {
    create: words(
      'ec2:AttachInternetGateway ec2:AttachVpnGateway ec2:DescribeInternetGateways ec2:DescribeVpnGateways',
    ),
    change: words(
      'ec2:AttachInternetGateway ec2:AttachVpnGateway ec2:DescribeInternetGateways ec2:DescribeVpnGateways ec2:DetachInternetGateway ec2:DetachVpnGateway',
    ),
  },
  'AWS::IAM::InstanceProfile': {
    create: words(
      'iam:AddRoleToInstanceProfile iam:CreateInstanceProfile iam:GetInstanceProfile iam:PassRole',
    ),
    change: words(
      'iam:AddRoleToInstanceProfile iam:DeleteInstanceProfile iam:GetInstanceProfile iam:PassRole iam:RemoveRoleFromInstanceProfile',
    ),
  },
  'AWS::IAM::Role': {
    create: words(
      'iam:AttachRolePolicy iam:CreateRole iam:GetRole iam:GetRolePolicy iam:PutRolePolicy iam:TagRole iam:UntagRole',
    ),
    change: words(
      'iam:AttachRolePolicy iam:DeleteRole iam:DeleteRolePermissionsBoundary iam:DeleteRolePolicy iam:DetachRolePolicy iam:GetRole iam:GetRolePolicy iam:ListAttachedRolePolicies iam:ListRolePolicies iam:PutRolePermissionsBoundary iam:PutRolePolicy iam:TagRole iam:UntagRole iam:UpdateAssumeRolePolicy iam:UpdateRole iam:UpdateRoleDescription',
    ),
  },
  'AWS::KMS::Alias': {
    create: words('kms:CreateAlias'),
    change: words('kms:DeleteAlias kms:ListAliases kms:UpdateAlias'),
  },
  'AWS::KMS::Key': {
    create: words(
      'kms:CreateKey kms:DisableKey kms:EnableKeyRotation kms:PutKeyPolicy kms:TagResource',
    ),
    change: words(
      'kms:DescribeKey kms:DisableKey kms:DisableKeyRotation kms:EnableKey kms:EnableKeyRotation kms:GetKeyPolicy kms:GetKeyRotationStatus kms:ListResourceTags kms:PutKeyPolicy kms:ScheduleKeyDeletion kms:TagResource kms:UntagResource kms:UpdateKeyDescription',
    ),
  },
  'AWS::Kinesis::Stream': {
    create: words(
      'kinesis:AddTagsToStream kinesis:CreateStream kinesis:DescribeStreamSummary kinesis:EnableEnhancedMonitoring kinesis:IncreaseStreamRetentionPeriod kinesis:ListTagsForResource kinesis:ListTagsForStream kinesis:StartStreamEncryption kinesis:UpdateMaxRecordSize kinesis:UpdateStreamWarmThroughput',
    ),
    change: words(
      'kinesis:AddTagsToStream kinesis:DecreaseStreamRetentionPeriod kinesis:DeleteStream kinesis:DescribeStreamSummary kinesis:DisableEnhancedMonitoring kinesis:EnableEnhancedMonitoring kinesis:IncreaseStreamRetentionPeriod kinesis:ListTagsForResource kinesis:ListTagsForStream kinesis:RemoveTagsFromStream kinesis:StartStreamEncryption kinesis:StopStreamEncryption kinesis:TagResource kinesis:UntagResource kinesis:UpdateMaxRecordSize kinesis:UpdateShardCount kinesis:UpdateStreamMode kinesis:UpdateStreamWarmThroughput',
    ),
  },
  'AWS::Lambda::Alias': {
    create: words(
      'lambda:CreateAlias lambda:GetProvisionedConcurrencyConfig lambda:PutProvisionedConcurrencyConfig',
    ),
    change: words(
      'codedeploy:CreateDeployment codedeploy:GetDeployment codedeploy:GetDeploymentConfig codedeploy:GetDeploymentGroup codedeploy:StopDeployment lambda:DeleteAlias lambda:DeleteProvisionedConcurrencyConfig lambda:GetAlias lambda:GetProvisionedConcurrencyConfig lambda:PutProvisionedConcurrencyConfig lambda:UpdateAlias',
    ),
  },
  'AWS::Lambda::EventSourceMapping': {
    create: words(
      'kms:Decrypt kms:DescribeKey kms:GenerateDataKey lambda:CreateEventSourceMapping lambda:GetEventSourceMapping lambda:TagResource',
    ),
    change: words(
      'kms:Decrypt kms:DescribeKey kms:GenerateDataKey lambda:DeleteEventSourceMapping lambda:GetEventSourceMapping lambda:ListTags lambda:TagResource lambda:UntagResource lambda:UpdateEventSourceMapping',
    ),
  },
  'AWS::Lambda::Function': {
    create: words(
      'ec2:DescribeSecurityGroups ec2:DescribeSubnets ec2:DescribeVpcs elasticfilesystem:DescribeMountTargets iam:PassRole kms:CreateGrant kms:Decrypt kms:DescribeKey kms:Encrypt kms:GenerateDataKey lambda:CreateFunction lambda:GetCodeSigningConfig lambda:GetFunction lambda:GetFunctionCodeSigningConfig lambda:GetFunctionRecursionConfig lambda:GetLayerVersion lambda:GetRuntimeManagementConfig lambda:PassCapacityProvider lambda:PutFunctionConcurrency lambda:PutFunctionRecursionConfig lambda:PutFunctionScalingConfig lambda:PutRuntimeManagementConfig lambda:TagResource s3:GetObject s3:GetObjectVersion s3files:ListMountTargets',
    ),
    change: words(
      'ec2:DescribeNetworkInterfaces ec2:DescribeSecurityGroups ec2:DescribeSubnets ec2:DescribeVpcs elasticfilesystem:DescribeMountTargets iam:PassRole kms:CreateGrant kms:Decrypt kms:DescribeKey kms:GenerateDataKey lambda:DeleteFunction lambda:DeleteFunctionCodeSigningConfig lambda:DeleteFunctionConcurrency lambda:GetCodeSigningConfig lambda:GetFunction lambda:GetFunctionCodeSigningConfig lambda:GetFunctionRecursionConfig lambda:GetFunctionScalingConfig lambda:GetRuntimeManagementConfig lambda:PassCapacityProvider lambda:PublishVersion lambda:PutFunctionCodeSigningConfig lambda:PutFunctionConcurrency lambda:PutFunctionRecursionConfig lambda:PutFunctionScalingConfig lambda:PutRuntimeManagementConfig lambda:TagResource lambda:UntagResource lambda:UpdateFunctionCode lambda:UpdateFunctionConfiguration s3:GetObject s3:GetObjectVersion s3files:ListMountTargets',
    ),
  },
  'AWS::Lambda::Permission': {
    create: words('lambda:AddPermission'),
    change: words('lambda:GetPolicy lambda:RemovePermission'),
  },
  'AWS::Lambda::Version': {
    create: words(
      'lambda:GetFunctionConfiguration lambda:GetProvisionedConcurrencyConfig lambda:GetRuntimeManagementConfig lambda:ListVersionsByFunction lambda:PublishVersion lambda:PutFunctionScalingConfig lambda:PutProvisionedConcurrencyConfig lambda:PutRuntimeManagementConfig',
    ),
    change: words(
      'lambda:DeleteFunction lambda:GetFunctionConfiguration lambda:GetFunctionScalingConfig lambda:GetProvisionedConcurrencyConfig lambda:GetRuntimeManagementConfig lambda:PutFunctionScalingConfig',
    ),
  },
  'AWS::Logs::LogGroup': {
    create: words(
      'firehose:TagDeliveryStream logs:CreateLogDelivery logs:CreateLogGroup logs:DescribeIndexPolicies logs:DescribeLogGroups logs:DescribeResourcePolicies logs:GetDataProtectionPolicy logs:PutBearerTokenAuthentication logs:PutDataProtectionPolicy logs:PutIndexPolicy logs:PutResourcePolicy logs:PutRetentionPolicy logs:TagResource s3:REST.PUT.OBJECT',
    ),
    change: words(
      'firehose:TagDeliveryStream logs:AssociateKmsKey logs:CreateLogDelivery logs:DeleteDataProtectionPolicy logs:DeleteIndexPolicy logs:DeleteLogGroup logs:DeleteResourcePolicy logs:DeleteRetentionPolicy logs:DescribeIndexPolicies logs:DescribeLogGroups logs:DescribeResourcePolicies logs:DisassociateKmsKey logs:GetDataProtectionPolicy logs:ListTagsForResource logs:PutBearerTokenAuthentication logs:PutDataProtectionPolicy logs:PutIndexPolicy logs:PutLogGroupDeletionProtection logs:PutResourcePolicy logs:PutRetentionPolicy logs:TagResource logs:UntagResource s3:REST.PUT.OBJECT',
    ),
  },
  'AWS::S3::Bucket': {
    create: words(
      'iam:PassRole s3:CreateBucket s3:CreateBucketMetadataTableConfiguration s3:DeleteObject s3:GetBucketAcl s3:GetBucketMetadataTableConfiguration s3:ListBucket s3:PutAccelerateConfiguration s3:PutAnalyticsConfiguration s3:PutBucketAbac s3:PutBucketCORS s3:PutBucketLogging s3:PutBucketNotification s3:PutBucketObjectLockConfiguration s3:PutBucketOwnershipControls s3:PutBucketPublicAccessBlock s3:PutBucketReplication s3:PutBucketTagging s3:PutBucketVersioning s3:PutBucketWebsite s3:PutEncryptionConfiguration s3:PutIntelligentTieringConfiguration s3:PutInventoryConfiguration s3:PutLifecycleConfiguration s3:PutMetricsConfiguration s3:PutObjectAcl s3:PutObjectLockConfiguration s3:PutReplicationConfiguration s3:TagResource s3tables:CreateNamespace s3tables:CreateTable s3tables:CreateTableBucket s3tables:GetTable s3tables:GetTableMetadataLocation s3tables:PutTableBucketPolicy s3tables:PutTableEncryption s3tables:PutTablePolicy s3tables:UpdateTableMetadataLocation',
    ),
    change: words(
      'S3:GetBucketWebsite iam:PassRole s3:CreateBucketMetadataTableConfiguration s3:DeleteBucket s3:DeleteBucketAnalyticsConfiguration s3:DeleteBucketCors s3:DeleteBucketEncryption s3:DeleteBucketLifecycle s3:DeleteBucketMetadataTableConfiguration s3:DeleteBucketMetricsConfiguration s3:DeleteBucketReplication s3:DeleteBucketWebsite s3:GetAccelerateConfiguration s3:GetAnalyticsConfiguration s3:GetBucketAbac s3:GetBucketCORS s3:GetBucketLogging s3:GetBucketMetadataTableConfiguration s3:GetBucketNotification s3:GetBucketObjectLockConfiguration s3:GetBucketOwnershipControls s3:GetBucketPublicAccessBlock s3:GetBucketTagging s3:GetBucketVersioning s3:GetEncryptionConfiguration s3:GetIntelligentTieringConfiguration s3:GetInventoryConfiguration s3:GetLifecycleConfiguration s3:GetMetricsConfiguration s3:GetReplicationConfiguration s3:ListBucket s3:ListTagsForResource s3:PutAccelerateConfiguration s3:PutAnalyticsConfiguration s3:PutBucketAbac s3:PutBucketAcl s3:PutBucketCORS s3:PutBucketLogging s3:PutBucketNotification s3:PutBucketObjectLockConfiguration s3:PutBucketOwnershipControls s3:PutBucketPublicAccessBlock s3:PutBucketReplication s3:PutBucketTagging s3:PutBucketVersioning s3:PutBucketWebsite s3:PutEncryptionConfiguration s3:PutIntelligentTieringConfiguration s3:PutInventoryConfiguration s3:PutLifecycleConfiguration s3:PutMetricsConfiguration s3:PutObjectLockConfiguration s3:PutReplicationConfiguration s3:TagResource s3:UntagResource s3:UpdateBucketMetadataAnnotationTableConfiguration s3:UpdateBucketMetadataInventoryTableConfiguration s3:UpdateBucketMetadataJournalTableConfiguration s3tables:CreateNamespace s3tables:CreateTable s3tables:CreateTableBucket s3tables:GetTable s3tables:GetTableMetadataLocation s3tables:PutTableBucketPolicy s3tables:PutTableEncryption s3tables:PutTablePolicy s3tables:UpdateTableMetadataLocation',
    ),
  },
  'AWS::S3::BucketPolicy': {
    create: words('s3:GetBucketPolicy s3:PutBucketPolicy'),
    change: words('s3:DeleteBucketPolicy s3:GetBucketPolicy s3:PutBucketPolicy'),
  },
  'AWS::SNS::Subscription': {
    create: words('iam:GetRole iam:PassRole sns:Subscribe'),
    change: words(
      'iam:GetRole iam:PassRole sns:GetSubscriptionAttributes sns:SetSubscriptionAttributes sns:Unsubscribe',
    ),
  },
  'AWS::SNS::Topic': {
    create: words(
      'iam:GetRole iam:PassRole sns:CreateTopic sns:GetTopicAttributes sns:PutDataProtectionPolicy sns:Subscribe sns:TagResource',
    ),
    change: words(
      'iam:GetRole iam:PassRole sns:DeleteTopic sns:GetDataProtectionPolicy sns:GetTopicAttributes sns:ListSubscriptionsByTopic sns:ListTagsForResource sns:PutDataProtectionPolicy sns:SetTopicAttributes sns:Subscribe sns:TagResource sns:Unsubscribe sns:UntagResource',
    ),
  },
  'AWS::SNS::TopicPolicy': {
    create: words('sns:SetTopicAttributes'),
    change: words('sns:SetTopicAttributes'),
  },
  'AWS::SQS::Queue': {
    create: words(
      'sqs:CreateQueue sqs:GetQueueAttributes sqs:GetQueueUrl sqs:ListQueueTags sqs:TagQueue',
    ),
    change: words(
      'sqs:DeleteQueue sqs:GetQueueAttributes sqs:ListQueueTags sqs:SetQueueAttributes sqs:TagQueue sqs:UntagQueue',
    ),
  },
  'AWS::SQS::QueuePolicy': {
    create: words('sqs:SetQueueAttributes'),
    change: words('sqs:SetQueueAttributes'),
  },
  // CloudFormation's own wait condition: no handler permissions.
  'AWS::CloudFormation::WaitCondition': { create: words(''), change: [] },
  'AWS::CloudFormation::WaitConditionHandle': { create: words(''), change: [] },
};
