import {
  DescribeStackResourcesCommand,
  GetTemplateCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { testClientConfig } from '../emulator/clients';

/**
 * A CloudWatch client for the emulator. Emulator gap: the SDK speaks CloudWatch's JSON protocol,
 * which moto 5.2 does not ("Unsupported protocol [json] for service cloudwatch"); CloudWatch
 * still serves the query protocol, which moto does, so the client is told to use that.
 */
export function emulatorCloudWatch(endpoint: string): CloudWatchClient {
  return new CloudWatchClient({ ...testClientConfig(endpoint), protocol: AwsQueryProtocol });
}

/**
 * The alarms a Lambda deployment group watches, found as CodeDeploy knows them: the group's
 * AlarmConfiguration in the template of the stack that created it (moto keeps no group
 * configuration), each Ref resolved to the alarm's name.
 */
export async function alarmsOfGroup(
  cloudformation: CloudFormationClient,
  group: { readonly stackName: string; readonly deploymentGroup: string },
): Promise<string[]> {
  const { StackResources = [] } = await cloudformation.send(
    new DescribeStackResourcesCommand({ StackName: group.stackName }),
  );
  const { TemplateBody = '{}' } = await cloudformation.send(
    new GetTemplateCommand({ StackName: group.stackName }),
  );
  const template = JSON.parse(TemplateBody) as {
    Resources: Record<string, { Properties?: { AlarmConfiguration?: AlarmConfiguration } }>;
  };
  const logicalId = StackResources.find(
    (resource) => resource.PhysicalResourceId === group.deploymentGroup,
  )?.LogicalResourceId;
  const configuration = template.Resources[logicalId ?? '']?.Properties?.AlarmConfiguration;
  if (!configuration?.Enabled) return [];
  return (configuration.Alarms ?? []).map((alarm) => {
    if (typeof alarm.Name === 'string') return alarm.Name;
    const ref = alarm.Name.Ref ?? '';
    return (
      StackResources.find((resource) => resource.LogicalResourceId === ref)?.PhysicalResourceId ??
      ref
    );
  });
}

interface AlarmConfiguration {
  readonly Enabled?: boolean;
  readonly Alarms?: readonly { readonly Name: string | { readonly Ref?: string } }[];
}

/** The names of those alarms now in ALARM. */
export async function firingAlarms(
  cloudwatch: CloudWatchClient,
  alarms: readonly string[],
): Promise<string[]> {
  if (alarms.length === 0) return [];
  const { MetricAlarms = [] } = await cloudwatch.send(
    new DescribeAlarmsCommand({ AlarmNames: [...alarms] }),
  );
  return MetricAlarms.filter((alarm) => alarm.StateValue === 'ALARM').map(
    (alarm) => alarm.AlarmName ?? '',
  );
}
