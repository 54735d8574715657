import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateRoleCommand, EntityAlreadyExistsException, IAMClient } from '@aws-sdk/client-iam';
import { testClientConfig } from '../emulator/clients';
import { repoRoot } from '../emulator/tools';

/**
 * The CloudFormation execution role, as the bootstrap creates it (its name and its trust in
 * cloudformation.amazonaws.com), so that the local deploy and teardown pass a role that exists
 * as RoleARN, like the workflows do on AWS. moto enforces no IAM: what the role may do is
 * proven by the policy evaluator in tests/iam, not here.
 */
export async function createExecutionRole(endpoint: string, stackName: string): Promise<string> {
  const bootstrap = JSON.parse(
    readFileSync(join(repoRoot, 'cloudformation', 'bootstrap-oidc.json'), 'utf8'),
  ) as {
    Resources: { ExecutionRole: { Properties: { AssumeRolePolicyDocument: unknown } } };
  };
  const iam = new IAMClient(testClientConfig(endpoint));
  const roleName = `${stackName}-cloudformation-execution`;
  try {
    const { Role } = await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify(
          bootstrap.Resources.ExecutionRole.Properties.AssumeRolePolicyDocument,
        ),
      }),
    );
    return Role!.Arn!;
  } catch (error) {
    if (!(error instanceof EntityAlreadyExistsException)) throw error;
    return `arn:aws:iam::123456789012:role/${roleName}`;
  } finally {
    iam.destroy();
  }
}
