// What the GitHub side of an environment holds once bootstrapped (COMMON agreements): environment
// E the deploy variables; `E-drift` the drift role when the stack has one; `preview` (written by
// production's bootstrap) what the pull-request preview needs to show production's changes.
import { StateError } from '../../actions/shared/errors';
import { PRODUCTION, physicalNames } from './environments';
import type { BootstrapOptions } from './options';

export interface GitHubEnvironmentTarget {
  readonly name: string;
  /** Logins of the required reviewers to set; undefined keeps what the environment has. */
  readonly reviewers: readonly string[] | undefined;
  readonly variables: Readonly<Record<string, string>>;
}

export const PREVIEW_ENVIRONMENT = 'preview';
export const driftEnvironment = (environment: string): string => `${environment}-drift`;

function output(outputs: Readonly<Record<string, string>>, key: string, stackName: string): string {
  const value = outputs[key];
  if (!value)
    throw new StateError(`Stack ${stackName} has no output ${key}: is it the bootstrap template?`);
  return value;
}

export function githubTargets(
  options: BootstrapOptions,
  region: string,
  bootstrapStackName: string,
  outputs: Readonly<Record<string, string>>,
): GitHubEnvironmentTarget[] {
  const stackName = physicalNames(options.environment).stackName;
  const previewRole = output(outputs, 'PreviewRoleArn', bootstrapStackName);
  const targets: GitHubEnvironmentTarget[] = [
    {
      name: options.environment,
      reviewers: options.reviewers.length > 0 ? options.reviewers : undefined,
      variables: {
        AWS_DEPLOY_ROLE_ARN: output(outputs, 'DeployRoleArn', bootstrapStackName),
        AWS_CFN_EXECUTION_ROLE_ARN: output(outputs, 'ExecutionRoleArn', bootstrapStackName),
        AWS_PREVIEW_ROLE_ARN: previewRole,
        AWS_REGION: region,
        STACK_NAME: stackName,
        ...(options.alertEmail ? { ALERT_EMAIL: options.alertEmail } : {}),
      },
    },
  ];
  const driftRole = outputs.DriftRoleArn;
  if (driftRole) {
    targets.push({
      name: driftEnvironment(options.environment),
      reviewers: undefined,
      variables: { AWS_DRIFT_ROLE_ARN: driftRole, AWS_REGION: region, STACK_NAME: stackName },
    });
  }
  if (options.environment === PRODUCTION) {
    targets.push({
      name: PREVIEW_ENVIRONMENT,
      reviewers: undefined,
      variables: { AWS_PREVIEW_ROLE_ARN: previewRole, AWS_REGION: region, STACK_NAME: stackName },
    });
  }
  return targets;
}

/** A word for the shell: single-quoted unless it is plainly safe. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The gh commands that do what --set-github-variables would (for people who prefer to). */
export function ghCommands(repo: string, targets: readonly GitHubEnvironmentTarget[]): string[] {
  const lines: string[] = [];
  for (const target of targets) {
    const path = `repos/${repo}/environments/${target.name}`;
    if (target.reviewers) {
      const ids = target.reviewers
        .map((login) => `{"type":"User","id":'"$(gh api users/${login} --jq .id)"'}`)
        .join(',');
      lines.push(`echo '{"reviewers":[${ids}]}' | gh api --method PUT ${path} --input -`);
    } else {
      lines.push(`gh api --method PUT ${path} --silent`);
    }
    for (const [name, value] of Object.entries(target.variables)) {
      lines.push(
        `gh variable set ${name} --env ${target.name} --body ${shellWord(value)} --repo ${repo}`,
      );
    }
  }
  return lines;
}
