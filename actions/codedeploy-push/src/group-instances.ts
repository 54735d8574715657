import type { DeploymentGroupInfo, EC2TagFilter } from '@aws-sdk/client-codedeploy';
import { paginateDescribeInstances, type Filter } from '@aws-sdk/client-ec2';
import { withContext } from '../../shared/errors';
import type { CodeDeployPushDeps } from './deps';
import { deploymentTargets } from './targets';

/**
 * The running instances of a deployment group that its last successful deployment did not
 * reach: an instance replaced since (new AMI, new type) runs nothing until it gets the
 * revision again, and CodeDeploy redeploys by itself only to Auto Scaling groups. The group's
 * instances are found as CodeDeploy finds them, by its EC2 tag filters (any of them matches).
 */
export async function instancesWithoutLastDeployment(
  deps: Pick<CodeDeployPushDeps, 'codedeploy' | 'ec2'>,
  group: DeploymentGroupInfo,
  lastSuccessfulDeploymentId: string,
): Promise<string[]> {
  const running = await runningInstances(deps, group);
  if (running.length === 0) return [];
  const reached = new Set(
    (await deploymentTargets(deps, lastSuccessfulDeploymentId))
      .filter((target) => target.status === 'Succeeded')
      .map((target) => target.targetId),
  );
  return running.filter((instanceId) => !reached.has(instanceId));
}

async function runningInstances(
  deps: Pick<CodeDeployPushDeps, 'ec2'>,
  group: DeploymentGroupInfo,
): Promise<string[]> {
  const anyOf = async (filters: readonly EC2TagFilter[]) => {
    const ids = new Set<string>();
    for (const filter of filters) for (const id of await matching(deps, filter)) ids.add(id);
    return ids;
  };
  const ids = await anyOf(group.ec2TagFilters ?? []);
  // An ec2TagSet matches the instances that match a filter of every one of its lists.
  const lists = group.ec2TagSet?.ec2TagSetList ?? [];
  if (lists.length > 0) {
    let inAll = await anyOf(lists[0] ?? []);
    for (const list of lists.slice(1)) {
      const inList = await anyOf(list);
      inAll = new Set([...inAll].filter((id) => inList.has(id)));
    }
    for (const id of inAll) ids.add(id);
  }
  return [...ids].sort();
}

async function matching(
  deps: Pick<CodeDeployPushDeps, 'ec2'>,
  filter: EC2TagFilter,
): Promise<string[]> {
  const Filters: Filter[] = [
    tagFilter(filter),
    { Name: 'instance-state-name', Values: ['pending', 'running'] },
  ];
  return withContext(
    "could not list the deployment group's instances (ec2:DescribeInstances)",
    async () => {
      const ids: string[] = [];
      for await (const page of paginateDescribeInstances({ client: deps.ec2 }, { Filters }))
        for (const reservation of page.Reservations ?? [])
          for (const instance of reservation.Instances ?? [])
            if (instance.InstanceId) ids.push(instance.InstanceId);
      return ids;
    },
  );
}

function tagFilter(filter: EC2TagFilter): Filter {
  switch (filter.Type) {
    case 'KEY_ONLY':
      return { Name: 'tag-key', Values: [filter.Key ?? ''] };
    case 'VALUE_ONLY':
      return { Name: 'tag-value', Values: [filter.Value ?? ''] };
    default:
      return { Name: `tag:${filter.Key ?? ''}`, Values: [filter.Value ?? ''] };
  }
}
