import { CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ConfigurationError, withContext } from '../../shared/errors';
import { deterministicZip, directoryEntries, sha256Hex } from '../../shared/zip';
import type { CodeDeployPushInputs } from './inputs';
import type { CodeDeployPushDeps } from './deps';
import type { Revision } from './model';

/** The revision zipped deterministically, named by its content. */
export function packRevision(inputs: CodeDeployPushInputs): Revision {
  const zip = deterministicZip(directoryEntries(inputs.revisionDir));
  return {
    bucket: inputs.s3Bucket,
    key: `codedeploy/${inputs.application}/${sha256Hex(zip)}.zip`,
    zip,
  };
}

/** Content-addressed: an object already under this key holds exactly this revision. */
export async function upload(deps: CodeDeployPushDeps, revision: Revision): Promise<void> {
  const present = await deps.s3
    .send(new HeadObjectCommand({ Bucket: revision.bucket, Key: revision.key }))
    .then(
      () => true,
      (error: unknown) => {
        if (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey'))
          return false;
        throw new ConfigurationError(
          `could not check s3://${revision.bucket}/${revision.key}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        );
      },
    );
  if (present) return;
  await withContext(
    `could not upload the revision to s3://${revision.bucket}/${revision.key}`,
    () =>
      deps.s3.send(
        new PutObjectCommand({
          Bucket: revision.bucket,
          Key: revision.key,
          Body: revision.zip,
          ContentType: 'application/zip',
        }),
      ),
  );
}

export async function createDeployment(
  deps: CodeDeployPushDeps,
  inputs: CodeDeployPushInputs,
  revision: Revision,
): Promise<string> {
  const { deploymentId } = await withContext(
    `could not create a deployment in ${inputs.application}/${inputs.deploymentGroup}`,
    () =>
      deps.codedeploy.send(
        new CreateDeploymentCommand({
          applicationName: inputs.application,
          deploymentGroupName: inputs.deploymentGroup,
          revision: {
            revisionType: 'S3',
            s3Location: { bucket: revision.bucket, key: revision.key, bundleType: 'zip' },
          },
          description: inputs.description ?? `${deps.run.sha.slice(0, 12)} ${deps.run.runUrl}`,
          fileExistsBehavior: inputs.fileExistsBehavior,
          ignoreApplicationStopFailures: inputs.ignoreApplicationStopFailures,
          ...(inputs.deploymentConfigName
            ? { deploymentConfigName: inputs.deploymentConfigName }
            : {}),
        }),
      ),
  );
  if (!deploymentId) throw new Error('CodeDeploy returned no deployment id');
  deps.io.info(`Created deployment ${deploymentId}.`);
  return deploymentId;
}
