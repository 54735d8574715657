import { StateError } from '../../shared/errors';
import { runAction } from '../../shared/run';
import { buildPackage, deployCode, type CodeResult } from './code';
import type { LambdaDeployDeps } from './deps';
import { getInputs, type LambdaDeployInputs } from './inputs';
import { releaseFailure, releaseVersion, type ReleaseOutcome } from './release';
import { report } from './report';

export type { LambdaDeployDeps } from './deps';

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
  const failure = release && releaseFailure(release);
  // Reported first (the summary says what happened), then failed through the shared runner.
  if (failure) throw new StateError(failure);
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
