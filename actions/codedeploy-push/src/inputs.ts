import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigurationError } from '../../shared/errors';
import {
  readBoolean,
  readBucketName,
  readChoice,
  readInteger,
  readString,
} from '../../shared/inputs';
import type { ActionIO } from '../../shared/io';

export interface CodeDeployPushInputs {
  readonly application: string;
  readonly deploymentGroup: string;
  readonly s3Bucket: string;
  /** As given (for annotations), and resolved. */
  readonly revision: string;
  readonly revisionDir: string;
  readonly wait: boolean;
  readonly timeoutMinutes: number;
  /** Unset: the deployment group's own configuration. */
  readonly deploymentConfigName: string | undefined;
  readonly ignoreApplicationStopFailures: boolean;
  readonly fileExistsBehavior: FileExistsBehavior;
  /** Unset: the commit and the run's URL. */
  readonly description: string | undefined;
}

export type FileExistsBehavior = 'DISALLOW' | 'OVERWRITE' | 'RETAIN';
const FILE_EXISTS_BEHAVIORS: readonly FileExistsBehavior[] = ['DISALLOW', 'OVERWRITE', 'RETAIN'];

interface AppSpec {
  files?: { source?: string }[];
  hooks?: Record<string, { location?: string }[] | undefined>;
}

const NAME = /^[A-Za-z0-9_.+@-]{1,100}$/;
/** CodeDeploy's deployment configuration names: 1-100 characters, as its console allows them. */
const CONFIG_NAME = /^[A-Za-z0-9_.+@-]{1,100}$/;

export function getInputs(io: Pick<ActionIO, 'getInput'>, workspace: string): CodeDeployPushInputs {
  const application = named(io, 'application');
  const deploymentGroup = named(io, 'deployment-group');
  const s3Bucket = readBucketName(io, 's3-bucket', { required: true });
  const revision = readString(io, 'revision', { fallback: 'appspec' });
  const revisionDir = resolve(workspace, revision);
  checkRevision(revision, revisionDir);
  return {
    application,
    deploymentGroup,
    s3Bucket,
    revision,
    revisionDir,
    wait: readBoolean(io, 'wait', true),
    timeoutMinutes: readInteger(io, 'timeout-minutes', { fallback: 30, min: 1, max: 360 }),
    deploymentConfigName: deploymentConfigName(io),
    ignoreApplicationStopFailures: readBoolean(io, 'ignore-application-stop-failures', false),
    fileExistsBehavior: fileExistsBehavior(io),
    description: readString(io, 'description') || undefined,
  };
}

function deploymentConfigName(io: Pick<ActionIO, 'getInput'>): string | undefined {
  const value = readString(io, 'deployment-config-name');
  if (!value) return undefined;
  if (!CONFIG_NAME.test(value))
    throw new ConfigurationError(
      `Input "deployment-config-name": "${value}" is not a deployment configuration name (1-100 of A-Z a-z 0-9 _ . + @ -, e.g. CodeDeployDefault.AllAtOnce).`,
    );
  return value;
}

function fileExistsBehavior(io: Pick<ActionIO, 'getInput'>): FileExistsBehavior {
  return readChoice(io, 'file-exists-behavior', FILE_EXISTS_BEHAVIORS, 'OVERWRITE', {
    upperCase: true,
  });
}

function named(io: Pick<ActionIO, 'getInput'>, input: string): string {
  const value = readString(io, input, { required: true });
  if (!NAME.test(value))
    throw new ConfigurationError(
      `Input "${input}": "${value}" is not a CodeDeploy name (1-100 of A-Z a-z 0-9 _ . + @ -).`,
    );
  return value;
}

/** Everything appspec.yml refers to must be in the revision, or the deployment would fail on the instance. */
function checkRevision(revision: string, revisionDir: string): void {
  const appspecPath = join(revisionDir, 'appspec.yml');
  if (!existsSync(appspecPath))
    throw new ConfigurationError(`Input "revision": ${revision}/appspec.yml does not exist.`);
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(appspecPath, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(
      `Input "revision": ${revision}/appspec.yml is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // An empty file parses to null; a list or a scalar is no appspec either.
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigurationError(
      `Input "revision": ${revision}/appspec.yml is not an AppSpec mapping (version, os, files, hooks).`,
    );
  const spec = parsed as AppSpec;
  for (const file of spec.files ?? []) {
    if (file.source && !existsSync(join(revisionDir, file.source))) {
      throw new ConfigurationError(
        `Input "revision": appspec.yml installs "${file.source}", which is not in ${revision}/ (run npm run build first?).`,
      );
    }
  }
  for (const [event, hooks] of Object.entries(spec.hooks ?? {})) {
    for (const hook of hooks ?? []) {
      if (hook.location && !existsSync(join(revisionDir, hook.location))) {
        throw new ConfigurationError(
          `Input "revision": the ${event} hook ${hook.location} is not in ${revision}/.`,
        );
      }
    }
  }
}
