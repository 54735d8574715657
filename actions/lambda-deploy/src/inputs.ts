import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigurationError } from '../../shared/errors';
import { readBoolean, readString, readBucketName } from '../../shared/inputs';
import type { ActionIO } from '../../shared/io';

export type Source =
  | { readonly kind: 'entry'; readonly path: string }
  | { readonly kind: 'directory'; readonly path: string }
  | { readonly kind: 'zip'; readonly path: string };

export interface LambdaDeployInputs {
  readonly functionName: string;
  readonly source: Source;
  readonly s3Bucket: string;
  readonly publish: boolean;
}

const FUNCTION_NAME =
  /^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]+))?$/;

export function getInputs(io: Pick<ActionIO, 'getInput'>, workspace: string): LambdaDeployInputs {
  const functionName = readString(io, 'function-name', { required: true });
  if (!FUNCTION_NAME.test(functionName))
    throw new ConfigurationError(
      `Input "function-name": "${functionName}" is not a Lambda function name or ARN.`,
    );
  const s3Bucket = readBucketName(io, 's3-bucket');
  return {
    functionName,
    source: readSource(io, workspace),
    s3Bucket,
    publish: readBoolean(io, 'publish', true),
  };
}

function readSource(io: Pick<ActionIO, 'getInput'>, workspace: string): Source {
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
