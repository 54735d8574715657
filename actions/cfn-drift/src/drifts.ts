import {
  paginateDescribeStackResourceDrifts,
  paginateListStackResources,
  type StackResourceDrift,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { withContext } from '../../shared/errors';
import type { Invocation } from './deps';
import type { ResourceDrift } from './result';

/**
 * Every resource of the stack with what the latest detection found, by logical id. The drift
 * results hold only the resources CloudFormation checked; the others (types it cannot check) come
 * from the stack's resource list and are listed as NOT_CHECKED, not left out.
 */
export async function resourceDrifts(invocation: Invocation): Promise<ResourceDrift[]> {
  const { cloudformation } = invocation.deps;
  const { stackName } = invocation.inputs;
  const drifts: StackResourceDrift[] = [];
  const resources: StackResourceSummary[] = [];
  await withContext(`could not read the resource drifts of stack ${stackName}`, async () => {
    for await (const page of paginateDescribeStackResourceDrifts(
      { client: cloudformation },
      { StackName: stackName },
    ))
      drifts.push(...(page.StackResourceDrifts ?? []));
    for await (const page of paginateListStackResources(
      { client: cloudformation },
      { StackName: stackName },
    ))
      resources.push(...(page.StackResourceSummaries ?? []));
  });
  const checked = new Set(drifts.map((drift) => drift.LogicalResourceId));
  return [
    ...drifts.map(toResourceDrift),
    ...resources.filter((resource) => !checked.has(resource.LogicalResourceId)).map(notChecked),
  ].sort((a, b) => a.logicalId.localeCompare(b.logicalId));
}

function notChecked(resource: StackResourceSummary): ResourceDrift {
  return {
    logicalId: resource.LogicalResourceId ?? '?',
    type: resource.ResourceType ?? '?',
    status: 'NOT_CHECKED',
    differences: [],
  };
}

function toResourceDrift(drift: StackResourceDrift): ResourceDrift {
  return {
    logicalId: drift.LogicalResourceId ?? '?',
    type: drift.ResourceType ?? '?',
    status: drift.StackResourceDriftStatus ?? 'UNKNOWN',
    differences: (drift.PropertyDifferences ?? []).map((difference) => ({
      path: difference.PropertyPath ?? '',
      expected: difference.ExpectedValue ?? '',
      actual: difference.ActualValue ?? '',
      kind: difference.DifferenceType ?? '',
    })),
  };
}
