import { readFileSync } from 'node:fs';
import {
  GetFunctionCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { withContext } from '../../shared/errors';
import { deterministicZip, directoryEntries, sha256Base64, sha256Hex } from '../../shared/zip';
import type { Source } from './inputs';
import type { LambdaDeployDeps } from './deps';

const UPDATE_WAIT_SECONDS = 300;

export interface CodePackage {
  readonly zip: Buffer;
  readonly codeSha256: string;
  readonly source: Source['kind'];
}

export interface CodeResult {
  readonly changed: boolean;
  /** The version published, or holding this code; `$LATEST` when none is (or publish is off). */
  readonly version: string;
  readonly codeSha256: string;
  readonly size: number;
  readonly source: Source['kind'];
}

export async function buildPackage(source: Source, deps: LambdaDeployDeps): Promise<CodePackage> {
  const zip = await zipOf(source, deps);
  const codeSha256 = sha256Base64(zip);
  deps.io.info(`Package: ${zip.length} bytes, CodeSha256 ${codeSha256}`);
  return { zip, codeSha256, source: source.kind };
}

async function zipOf(source: Source, deps: LambdaDeployDeps): Promise<Buffer> {
  switch (source.kind) {
    case 'zip':
      return readFileSync(source.path);
    case 'directory':
      return deterministicZip(directoryEntries(source.path));
    case 'entry':
      deps.io.info(`Bundling ${source.path} with esbuild`);
      return deterministicZip([
        { path: 'index.js', data: await deps.bundle(source.path), executable: false },
      ]);
  }
}

/**
 * Updates the code when its hash differs, waits, and publishes a version naming the commit;
 * with the same hash it makes no mutating call and finds the version that holds this code.
 */
export async function deployCode(
  deps: LambdaDeployDeps,
  functionName: string,
  pkg: CodePackage,
  options: { s3Bucket: string; publish: boolean },
): Promise<CodeResult> {
  const { io, lambda } = deps;
  const result = { codeSha256: pkg.codeSha256, size: pkg.zip.length, source: pkg.source };
  const current = await withContext(`could not read function ${functionName}`, () =>
    lambda.send(new GetFunctionCommand({ FunctionName: functionName })),
  );
  if (current.Configuration?.CodeSha256 === pkg.codeSha256) {
    io.info(
      `Function ${functionName} already runs this code (CodeSha256 ${pkg.codeSha256}): nothing to update.`,
    );
    const version = options.publish
      ? await versionWithCode(deps, functionName, pkg.codeSha256)
      : '$LATEST';
    return { ...result, changed: false, version };
  }
  await waitUntilSettled(deps, functionName, 'a previous update to finish');
  const code = options.s3Bucket
    ? await upload(deps, functionName, options.s3Bucket, pkg.zip)
    : { ZipFile: pkg.zip };
  await withContext(`could not update the code of ${functionName}`, () =>
    lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: functionName, ...code, Publish: false }),
    ),
  );
  await waitUntilSettled(deps, functionName, 'the code update to finish');
  if (!options.publish) return { ...result, changed: true, version: '$LATEST' };
  const published = await withContext(`could not publish a version of ${functionName}`, () =>
    lambda.send(
      new PublishVersionCommand({
        FunctionName: functionName,
        CodeSha256: pkg.codeSha256,
        Description: `${deps.run.sha.slice(0, 12)} ${deps.run.runUrl}`.slice(0, 256),
      }),
    ),
  );
  io.info(`Published version ${published.Version ?? '?'}`);
  return { ...result, changed: true, version: published.Version ?? '$LATEST' };
}

async function upload(
  deps: LambdaDeployDeps,
  functionName: string,
  bucket: string,
  zip: Buffer,
): Promise<{ S3Bucket: string; S3Key: string }> {
  const key = `lambda/${functionName.replace(/[^A-Za-z0-9_-]/g, '_')}/${sha256Hex(zip)}.zip`;
  await withContext(`could not upload the package to s3://${bucket}/${key}`, () =>
    deps.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: zip })),
  );
  deps.io.info(`Uploaded to s3://${bucket}/${key}`);
  return { S3Bucket: bucket, S3Key: key };
}

/** Lambda refuses a code update while another is in progress; and publishing before it ends would publish the old code. */
async function waitUntilSettled(
  deps: LambdaDeployDeps,
  functionName: string,
  what: string,
): Promise<void> {
  deps.io.info(`Waiting for ${what} (up to ${UPDATE_WAIT_SECONDS / 60} minutes)…`);
  await withContext(`function ${functionName} did not finish updating`, () =>
    waitUntilFunctionUpdatedV2(
      { client: deps.lambda, maxWaitTime: UPDATE_WAIT_SECONDS, minDelay: 1, maxDelay: 5 },
      { FunctionName: functionName },
    ),
  );
}

/** The newest published version whose code is this package, if any. */
async function versionWithCode(
  deps: LambdaDeployDeps,
  functionName: string,
  codeSha256: string,
): Promise<string> {
  let newest = '$LATEST';
  let marker: string | undefined;
  do {
    const page = await withContext(`could not list the versions of ${functionName}`, () =>
      deps.lambda.send(
        new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker }),
      ),
    );
    for (const version of page.Versions ?? []) {
      if (
        version.Version !== '$LATEST' &&
        version.CodeSha256 === codeSha256 &&
        (newest === '$LATEST' || Number(version.Version) > Number(newest))
      )
        newest = version.Version ?? newest;
    }
    marker = page.NextMarker;
  } while (marker);
  return newest;
}
