import { readFileSync } from 'node:fs';
import {
  GetFunctionCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { withContext } from '../../shared/errors';
import type { RunContext } from '../../shared/github';
import type { ActionIO } from '../../shared/io';
import { runAction } from '../../shared/run';
import { table } from '../../shared/summary';
import { formatDuration, type Clock } from '../../shared/wait';
import { deterministicZip, directoryEntries, sha256Base64, sha256Hex } from '../../shared/zip';
import { getInputs, type LambdaDeployInputs } from './inputs';

export interface LambdaDeployDeps {
  readonly io: ActionIO;
  readonly lambda: LambdaClient;
  readonly s3: S3Client;
  readonly clock: Clock;
  readonly run: RunContext;
  readonly workspace: string;
  /** Bundles an entry into one CommonJS file (esbuild); the code of index.js. */
  readonly bundle: (entry: string) => Promise<Uint8Array>;
}

const UPDATE_WAIT_SECONDS = 300;

export function run(deps: LambdaDeployDeps): Promise<void> {
  return runAction(deps.io, () => deploy(deps));
}

async function deploy(deps: LambdaDeployDeps): Promise<void> {
  const { io, lambda } = deps;
  const inputs = getInputs(io, deps.workspace);
  const started = deps.clock.now();
  const zip = await io.group('Build the package', () => buildPackage(inputs, deps));
  const codeSha256 = sha256Base64(zip);
  io.info(`Package: ${zip.length} bytes, CodeSha256 ${codeSha256}`);

  const current = await withContext(`could not read function ${inputs.functionName}`, () =>
    lambda.send(new GetFunctionCommand({ FunctionName: inputs.functionName })),
  );
  if (current.Configuration?.CodeSha256 === codeSha256) {
    const version = inputs.publish
      ? await versionWithCode(deps, inputs.functionName, codeSha256)
      : '$LATEST';
    io.info(
      `Function ${inputs.functionName} already runs this code (CodeSha256 ${codeSha256}): nothing to update.`,
    );
    await report(deps, inputs, { changed: false, version, codeSha256, size: zip.length, started });
    return;
  }

  await waitUntilSettled(deps, inputs.functionName, 'a previous update to finish');
  const code = inputs.s3Bucket ? await upload(deps, inputs, zip) : { ZipFile: zip };
  await withContext(`could not update the code of ${inputs.functionName}`, () =>
    lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: inputs.functionName, ...code, Publish: false }),
    ),
  );
  await waitUntilSettled(deps, inputs.functionName, 'the code update to finish');
  let version = '$LATEST';
  if (inputs.publish) {
    const published = await withContext(
      `could not publish a version of ${inputs.functionName}`,
      () =>
        lambda.send(
          new PublishVersionCommand({
            FunctionName: inputs.functionName,
            CodeSha256: codeSha256,
            Description: `${deps.run.sha.slice(0, 12)} ${deps.run.runUrl}`.slice(0, 256),
          }),
        ),
    );
    version = published.Version ?? '$LATEST';
  }
  await report(deps, inputs, { changed: true, version, codeSha256, size: zip.length, started });
}

async function buildPackage(inputs: LambdaDeployInputs, deps: LambdaDeployDeps): Promise<Buffer> {
  switch (inputs.source.kind) {
    case 'zip':
      return readFileSync(inputs.source.path);
    case 'directory':
      return deterministicZip(directoryEntries(inputs.source.path));
    case 'entry':
      deps.io.info(`Bundling ${inputs.source.path} with esbuild`);
      return deterministicZip([
        { path: 'index.js', data: await deps.bundle(inputs.source.path), executable: false },
      ]);
  }
}

async function upload(
  deps: LambdaDeployDeps,
  inputs: LambdaDeployInputs,
  zip: Buffer,
): Promise<{ S3Bucket: string; S3Key: string }> {
  const key = `lambda/${inputs.functionName.replace(/[^A-Za-z0-9_-]/g, '_')}/${sha256Hex(zip)}.zip`;
  await withContext(`could not upload the package to s3://${inputs.s3Bucket}/${key}`, () =>
    deps.s3.send(new PutObjectCommand({ Bucket: inputs.s3Bucket, Key: key, Body: zip })),
  );
  deps.io.info(`Uploaded to s3://${inputs.s3Bucket}/${key}`);
  return { S3Bucket: inputs.s3Bucket, S3Key: key };
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

async function report(
  deps: LambdaDeployDeps,
  inputs: LambdaDeployInputs,
  result: { changed: boolean; version: string; codeSha256: string; size: number; started: number },
): Promise<void> {
  const { io } = deps;
  io.setOutput('version', result.version);
  io.setOutput('code-sha256', result.codeSha256);
  io.setOutput('changed', String(result.changed));
  const heading = result.changed
    ? `## ✅ Lambda ${inputs.functionName}: version ${result.version} published`
    : `## ✅ Lambda ${inputs.functionName}: unchanged`;
  const rows: [string, string][] = [
    ['Function', inputs.functionName],
    ['Version', result.version],
    ['CodeSha256', `\`${result.codeSha256}\``],
    [
      'Package',
      `${(result.size / 1024).toFixed(1)} KiB from ${inputs.source.kind === 'entry' ? 'esbuild bundle' : inputs.source.kind}`,
    ],
    ['Took', formatDuration(deps.clock.now() - result.started)],
  ];
  const note = result.changed
    ? ''
    : '_The deployed code already has this hash: no update, no new version._';
  await io.summary.addRaw([heading, '', note, '', table(['', ''], rows), ''].join('\n')).write();
}
