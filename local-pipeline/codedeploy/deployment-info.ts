/** What every CodeDeploy deployment record of the stand-in holds, EC2 or Lambda. */
export interface DeploymentRecord {
  readonly id: string;
  readonly group: { readonly application: string; readonly deploymentGroup: string };
  readonly createTime: number;
  readonly status: string;
  readonly completeTime?: number;
  readonly error?: { code: string; message: string };
}

/** GetDeployment's deploymentInfo fields every compute platform shares. */
export function deploymentInfoOf(deployment: DeploymentRecord, deploymentConfigName: string) {
  return {
    deploymentId: deployment.id,
    applicationName: deployment.group.application,
    deploymentGroupName: deployment.group.deploymentGroup,
    deploymentConfigName,
    status: deployment.status,
    createTime: deployment.createTime,
    ...(deployment.completeTime ? { completeTime: deployment.completeTime } : {}),
    ...(deployment.error ? { errorInformation: deployment.error } : {}),
  };
}
