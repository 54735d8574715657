import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RunContext } from '../../shared/github';
import type { ActionIO } from '../../shared/io';
import { runAction } from '../../shared/run';
import type { Clock } from '../../shared/wait';
import { buildPackage, deployCode, type CodeResult } from './code';
import { getInputs, type LambdaDeployInputs } from './inputs';
import { releaseVersion, type ReleaseOutcome } from './release';
import { report } from './report';

export interface LambdaDeployDeps {
  readonly io: ActionIO;
  readonly lambda: LambdaClient;
  readonly s3: S3Client;
  readonly codedeploy: CodeDeployClient;
  readonly clock: Clock;
  readonly run: RunContext;
  readonly workspace: string;
  /** Bundles an entry into one CommonJS file (esbuild); the code of index.js. */
  readonly bundle: (entry: string) => Promise<Uint8Array>;
}

export function run(deps: LambdaDeployDeps): Promise<void> {
  return runAction(deps.io, () => deploy(deps));
}

/** Read inputs → deploy the code (unless releasing an existing version) → release → report. */
async function deploy(deps: LambdaDeployDeps): Promise<void> {
  const inputs = getInputs(deps.io, deps.workspace);
  const started = deps.clock.now();
  const code = await deployNewCode(deps, inputs);
  const release = await releaseStep(deps, inputs, code);
  await report(deps, inputs, { code, release, started });
  if (release?.failure) deps.io.setFailed(release.failure);
}

async function deployNewCode(
  deps: LambdaDeployDeps,
  inputs: LambdaDeployInputs,
): Promise<CodeResult | undefined> {
  const source = inputs.source;
  if (!source) return undefined;
  const pkg = await deps.io.group('Build the package', () => buildPackage(source, deps));
  return deps.io.group('Deploy the code', () =>
    deployCode(deps, inputs.functionName, pkg, {
      s3Bucket: inputs.s3Bucket,
      publish: inputs.publish,
    }),
  );
}

async function releaseStep(
  deps: LambdaDeployDeps,
  inputs: LambdaDeployInputs,
  code: CodeResult | undefined,
): Promise<ReleaseOutcome | undefined> {
  const release = inputs.release;
  if (!release) return undefined;
  const version = release.version ?? code?.version ?? '$LATEST';
  return deps.io.group(`Release version ${version} to ${release.alias}`, () =>
    releaseVersion(deps, inputs.functionName, release, version, code?.changed ?? true),
  );
}
