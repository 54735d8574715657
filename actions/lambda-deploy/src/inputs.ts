import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigurationError } from '../../shared/errors';
import { readBoolean, readString, readBucketName } from '../../shared/inputs';
import type { ActionIO } from '../../shared/io';
import { readRelease, type ReleaseInputs } from './release-inputs';

export type Source =
  | { readonly kind: 'entry'; readonly path: string }
  | { readonly kind: 'directory'; readonly path: string }
  | { readonly kind: 'zip'; readonly path: string };

export interface LambdaDeployInputs {
  readonly functionName: string;
  /** What to deploy; undefined when releasing an already published `version` (a rollback). */
  readonly source: Source | undefined;
  readonly s3Bucket: string;
  readonly publish: boolean;
  /** Release mode (an `alias` is given): check the version, then move the alias to it. */
  readonly release: ReleaseInputs | undefined;
}

const FUNCTION_NAME =
  /^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}$/;
const QUALIFIED =
  /^((?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}):([^:]+)$/;

type InputReader = Pick<ActionIO, 'getInput'>;

export function getInputs(io: InputReader, workspace: string): LambdaDeployInputs {
  const functionName = readFunctionName(io);
  const s3Bucket = readBucketName(io, 's3-bucket');
  const publish = readBoolean(io, 'publish', true);
  const release = readRelease(io);
  if (release && !publish)
    throw new ConfigurationError(
      `Input "alias": releasing to "${release.alias}" needs a published version; remove "publish: false".`,
    );
  return {
    functionName,
    source: release?.version ? undefined : readSource(io, workspace),
    s3Bucket,
    publish,
    release,
  };
}

/** UpdateFunctionCode refuses a qualified name (`name:alias`, an ARN ending in `:version`). */
function readFunctionName(io: InputReader): string {
  const functionName = readString(io, 'function-name', { required: true });
  const qualified = QUALIFIED.exec(functionName);
  if (qualified)
    throw new ConfigurationError(
      `Input "function-name": "${functionName}" is qualified (":${qualified[2] ?? ''}"); code is deployed to the unqualified function, so give "${qualified[1] ?? ''}" (and the alias to move in "alias").`,
    );
  if (!FUNCTION_NAME.test(functionName))
    throw new ConfigurationError(
      `Input "function-name": "${functionName}" is not a Lambda function name or ARN.`,
    );
  return functionName;
}

function readSource(io: InputReader, workspace: string): Source {
  const pkg = readString(io, 'package');
  if (pkg) {
    const path = resolve(workspace, pkg);
    if (!existsSync(path)) throw new ConfigurationError(`Input "package": ${pkg} does not exist.`);
    if (statSync(path).isDirectory()) return { kind: 'directory', path };
    if (!pkg.endsWith('.zip'))
      throw new ConfigurationError(`Input "package": ${pkg} must be a directory or a .zip file.`);
    return { kind: 'zip', path };
  }
  const entry = readString(io, 'entry', { fallback: 'lambda/src/handler.ts' });
  const path = resolve(workspace, entry);
  if (!existsSync(path))
    throw new ConfigurationError(`Input "entry": ${entry} does not exist (or give "package").`);
  return { kind: 'entry', path };
}
