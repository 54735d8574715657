/**
 * Handler permissions the execution role deliberately does not have, each with why. The proof
 * checks that every one of them really is denied, so an exception cannot hide a grant.
 */
export const NOT_GRANTED: Record<string, string> = {
  'iam:DeleteRolePermissionsBoundary':
    'a role of the stack never loses the permissions boundary (the Role handler calls it only when a template removes PermissionsBoundary)',
  'ssm:CreateAssociation':
    'the instance declares no SsmAssociations; an association runs documents on instances, i.e. commands',
  'ssm:DeleteAssociation': 'no SsmAssociations (see ssm:CreateAssociation)',
  'ssm:DescribeAssociation': 'no SsmAssociations (see ssm:CreateAssociation)',
  'ssm:ListAssociations': 'no SsmAssociations (see ssm:CreateAssociation)',
  'ec2:AttachVolume':
    'the instance declares no Volumes; only its root volume, created by RunInstances',
  'ec2:DetachVolume': 'the instance declares no Volumes (see ec2:AttachVolume)',
  'logs:PutResourcePolicy':
    'the log groups declare no ResourcePolicyDocument; the account-wide logs resource policy would let other services write anywhere',
  'logs:DeleteResourcePolicy': 'no ResourcePolicyDocument (see logs:PutResourcePolicy)',
  'logs:PutIndexPolicy':
    'the log groups declare no FieldIndexPolicies; has no resource-level scope',
  'logs:DeleteIndexPolicy': 'no FieldIndexPolicies (see logs:PutIndexPolicy)',
  'logs:CreateLogDelivery':
    'the stack vends no logs to S3 or Firehose (the flow log writes to CloudWatch Logs); has no resource-level scope',
  'logs:DeleteLogDelivery': 'no vended log delivery (see logs:CreateLogDelivery)',
  'codedeploy:StopDeployment':
    'has no resource-level scope, so it would stop any deployment of the account; a deployment group update waits for a running deployment instead',
};

/** Handler permissions for features the stack does not use: no resource of the stack to ask about. */
export const NOT_APPLICABLE: Record<string, string> = {
  'firehose:TagDeliveryStream': 'log groups deliver to no Firehose stream',
  'dynamodb:DescribeImport': 'the table is not imported from S3 (no ImportSourceSpecification)',
  'elasticfilesystem:DescribeMountTargets': 'the function mounts no EFS file system',
  's3files:ListMountTargets': 'the function mounts no S3 Files file system',
  'lambda:GetCodeSigningConfig': 'the function has no CodeSigningConfigArn',
  'lambda:GetLayerVersion': 'the function uses no layers',
  'lambda:PassCapacityProvider': 'the function uses no capacity provider',
  'lambda:GetProvisionedConcurrencyConfig':
    'no alias or version has ProvisionedConcurrencyConfig (lambda:* on the function and its qualifiers would allow it)',
  'lambda:PutProvisionedConcurrencyConfig':
    'no ProvisionedConcurrencyConfig (see lambda:GetProvisionedConcurrencyConfig)',
  'lambda:DeleteProvisionedConcurrencyConfig':
    'no ProvisionedConcurrencyConfig (see lambda:GetProvisionedConcurrencyConfig)',
  'codedeploy:RegisterOnPremisesInstance': 'the deployment group targets no on-premises instances',
  's3tables:CreateNamespace': 'the bucket has no metadata table configuration (S3 Tables)',
  's3tables:CreateTable': 'no metadata table configuration (S3 Tables)',
  's3tables:CreateTableBucket': 'no metadata table configuration (S3 Tables)',
  's3tables:GetTable': 'no metadata table configuration (S3 Tables)',
  's3tables:GetTableMetadataLocation': 'no metadata table configuration (S3 Tables)',
  's3tables:PutTableBucketPolicy': 'no metadata table configuration (S3 Tables)',
  's3tables:PutTableEncryption': 'no metadata table configuration (S3 Tables)',
  's3tables:PutTablePolicy': 'no metadata table configuration (S3 Tables)',
  's3tables:UpdateTableMetadataLocation': 'no metadata table configuration (S3 Tables)',
};

/**
 * Names in the resource schemas that are not IAM actions (the Service Authorization Reference has
 * no such action; S3's REST operation names differ from its IAM action names).
 */
export const NOT_IAM_ACTIONS = new Set([
  's3:REST.PUT.OBJECT',
  's3:GetObjectMetadata',
  's3:PutBucketReplication',
  's3:PutObjectLockConfiguration',
  's3:DeleteBucketAnalyticsConfiguration',
  's3:DeleteBucketCors',
  's3:DeleteBucketEncryption',
  's3:DeleteBucketLifecycle',
  's3:DeleteBucketMetricsConfiguration',
  's3:DeleteBucketReplication',
]);
