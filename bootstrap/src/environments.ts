// What an environment is called in AWS (DESIGN.md, "Environments"): production keeps the seeds'
// physical names and the stack `anomaly-detection`; any other environment E takes the stack
// `anomaly-detection-E` and suffixes every physical name with `-E`, so that two environments can
// live in one account and never share a named resource.
import { ConfigurationError } from '../../actions/shared/errors';

export const PRODUCTION = 'production';
export const DEFAULT_ENVIRONMENTS: readonly string[] = ['staging', PRODUCTION];

// Lower-case letters, digits and hyphens only: the suffix ends up in bucket names, role names and
// stack names, whose rules are the narrowest of the lot; 20 characters keep `<stack>-E-…` role
// names under IAM's 64.
const ENVIRONMENT_NAME = /^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/;

export interface PhysicalNames {
  readonly stackName: string;
  readonly streamName: string;
  readonly tableName: string;
  readonly topicName: string;
  readonly functionName: string;
}

/** The environment name itself, or a ConfigurationError naming what is wrong with it. */
export function checkEnvironmentName(name: string, what = 'environment'): string {
  if (!ENVIRONMENT_NAME.test(name)) {
    throw new ConfigurationError(
      `${what} '${name}' is not a valid environment name: use 1–20 lower-case letters, digits ` +
        `or hyphens, starting with a letter and not ending with a hyphen (e.g. staging, production)`,
    );
  }
  return name;
}

/** '' for production, `-E` for any other environment E. */
export function nameSuffix(environment: string): string {
  return checkEnvironmentName(environment) === PRODUCTION ? '' : `-${environment}`;
}

/** The application stack's name and the physical names its parameters take in `environment`. */
export function physicalNames(environment: string): PhysicalNames {
  const suffix = nameSuffix(environment);
  return {
    stackName: `anomaly-detection${suffix}`,
    streamName: `m03p02_raw_data_stream${suffix}`,
    tableName: `m03p02_anomaly_data${suffix}`,
    topicName: `m03p02_anomaly_alerts${suffix}`,
    functionName: `m03p02_anomaly_detector${suffix}`,
  };
}
