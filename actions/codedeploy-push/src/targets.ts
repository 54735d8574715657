import {
  BatchGetDeploymentTargetsCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { withContext } from '../../shared/errors';
import type { CodeDeployPushDeps } from './deps';
import type { TargetEvents } from './model';

/** BatchGetDeploymentTargets takes at most 25 ids a call. */
const TARGETS_PER_CALL = 25;

/** Every target of a deployment with its lifecycle events: all pages, 25 ids a call. */
export async function deploymentTargets(
  deps: Pick<CodeDeployPushDeps, 'codedeploy'>,
  deploymentId: string,
): Promise<TargetEvents[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await withContext(`could not list the targets of deployment ${deploymentId}`, () =>
      deps.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken })),
    );
    ids.push(...(page.targetIds ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const targets: TargetEvents[] = [];
  for (let start = 0; start < ids.length; start += TARGETS_PER_CALL) {
    const { deploymentTargets: batch = [] } = await withContext(
      `could not read the targets of deployment ${deploymentId}`,
      () =>
        deps.codedeploy.send(
          new BatchGetDeploymentTargetsCommand({
            deploymentId,
            targetIds: ids.slice(start, start + TARGETS_PER_CALL),
          }),
        ),
    );
    for (const target of batch)
      targets.push({
        targetId: target.instanceTarget?.targetId ?? target.ecsTarget?.targetId ?? '?',
        status: target.instanceTarget?.status ?? target.ecsTarget?.status,
        events: target.instanceTarget?.lifecycleEvents ?? [],
      });
  }
  return targets;
}
