import {
  DescribeInstancesCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../emulator/tools';

/**
 * The stack's producer instance replaced, as CloudFormation replaces it for a new AMI or
 * instance type: moto does not replace an instance on a stack update, so the replacement is
 * made in EC2 directly — a new instance with the old one's image, type, subnet and tags (so
 * the deployment group's tag filter finds it), then the old one terminated (or stopped).
 */
export async function replaceInstance(ec2: EC2Client, instanceId: string): Promise<string> {
  const { Reservations = [] } = await ec2.send(
    new DescribeInstancesCommand({ InstanceIds: [instanceId] }),
  );
  const old = Reservations[0]?.Instances?.[0];
  if (!old) throw new Error(`instance ${instanceId} does not exist`);
  const { Instances = [] } = await ec2.send(
    new RunInstancesCommand({
      ImageId: old.ImageId,
      InstanceType: old.InstanceType,
      SubnetId: old.SubnetId,
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: [{ ResourceType: 'instance', Tags: old.Tags ?? [] }],
    }),
  );
  const replacement = Instances[0]?.InstanceId;
  if (!replacement) throw new Error(`EC2 launched no replacement for ${instanceId}`);
  try {
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
  } catch (error) {
    // moto cannot always terminate an instance its CloudFormation created with an explicit
    // network interface (it looks the interface up and fails); stopped, the old instance is
    // out of the group just the same (CodeDeploy and codedeploy-push take running ones only).
    if (!(error instanceof Error && error.name === 'InvalidNetworkInterfaceID.NotFound'))
      throw error;
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
  }
  return replacement;
}

/**
 * The deployment group's EC2 tag filters as the template declares them for `stackName`: the
 * CodeDeploy stand-in serves them, since moto creates no CodeDeploy resources.
 */
export function deploymentGroupTagFilters(
  stackName: string,
): { Key: string; Value: string; Type: string }[] {
  const template = JSON.parse(
    readFileSync(join(repoRoot, 'cloudformation', 'anomaly-detection.json'), 'utf8'),
  ) as {
    Resources: Record<
      string,
      { Properties?: { Ec2TagFilters?: { Key: string; Value: unknown; Type: string }[] } }
    >;
  };
  const filters = template.Resources.CodeDeployDeploymentGroup?.Properties?.Ec2TagFilters ?? [];
  return filters.map((filter) => ({
    Key: filter.Key,
    Type: filter.Type,
    Value:
      typeof filter.Value === 'string'
        ? filter.Value
        : (filter.Value as { 'Fn::Sub': string })['Fn::Sub'].replace(
            '${AWS::StackName}',
            stackName,
          ),
  }));
}
