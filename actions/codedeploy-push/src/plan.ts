import { GetDeploymentGroupCommand, type DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import { withContext } from '../../shared/errors';
import { followDeployment } from './follow';
import { instancesWithoutLastDeployment } from './group-instances';
import type { CodeDeployPushInputs } from './inputs';
import type { CodeDeployPushDeps } from './deps';
import { IN_PROGRESS, type Revision } from './model';

export type Plan =
  { readonly deploy: false; readonly lastDeploymentId: string } | { readonly deploy: true };

/**
 * Deploy unless the group's last successful deployment used this very revision AND reached
 * every instance the group has now. A deployment in progress is waited out first.
 */
export async function plan(
  deps: CodeDeployPushDeps,
  inputs: CodeDeployPushInputs,
  revision: Revision,
  deadline: number,
): Promise<Plan> {
  let group = await deploymentGroup(deps, inputs);
  const attempted = group.lastAttemptedDeployment;
  if (attempted?.deploymentId && attempted.status && IN_PROGRESS.has(attempted.status)) {
    deps.io.info(
      `Deployment ${attempted.deploymentId} is ${attempted.status}; waiting for it to finish first.`,
    );
    await followDeployment(deps, inputs, attempted.deploymentId, deadline);
    group = await deploymentGroup(deps, inputs);
  }
  const last = group.lastSuccessfulDeployment?.deploymentId;
  if (!last || group.targetRevision?.s3Location?.key !== revision.key) return { deploy: true };
  const missing = await instancesWithoutLastDeployment(deps, group, last);
  if (missing.length > 0) {
    deps.io.info(
      `Deployment group ${inputs.deploymentGroup} last deployed this revision in ${last}, but ${missing.join(', ')} did not get it (a new or replaced instance): deploying it again.`,
    );
    return { deploy: true };
  }
  deps.io.info(
    `Deployment group ${inputs.deploymentGroup} already runs this revision on every instance (deployment ${last}): nothing to deploy.`,
  );
  return { deploy: false, lastDeploymentId: last };
}

async function deploymentGroup(
  deps: CodeDeployPushDeps,
  inputs: CodeDeployPushInputs,
): Promise<DeploymentGroupInfo> {
  const { deploymentGroupInfo } = await withContext(
    `could not read deployment group ${inputs.deploymentGroup} of application ${inputs.application}`,
    () =>
      deps.codedeploy.send(
        new GetDeploymentGroupCommand({
          applicationName: inputs.application,
          deploymentGroupName: inputs.deploymentGroup,
        }),
      ),
  );
  return deploymentGroupInfo ?? {};
}
