import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { testClientConfig } from '../../local-pipeline/emulator/clients';
import { LOCAL_VARS, LocalEnvironment } from '../../local-pipeline/local-environment';
import { motoEndpoint } from '../support/emulator';

// `npm run local` runs the stack operations as the execution role, as the workflows do on AWS:
// the role the workflows pass as role-arn exists in the emulator, trusted by CloudFormation only.
describe('the local environment', () => {
  let local: LocalEnvironment;
  beforeAll(async () => {
    local = await LocalEnvironment.start(motoEndpoint());
  });
  afterAll(async () => {
    await local.stop();
  });

  it('has the execution role the workflows pass as role-arn', async () => {
    const iam = new IAMClient(testClientConfig(motoEndpoint()));
    const roleName = LOCAL_VARS.AWS_CFN_EXECUTION_ROLE_ARN.split('/').pop()!;

    const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));

    expect(Role?.Arn).toBe(LOCAL_VARS.AWS_CFN_EXECUTION_ROLE_ARN);
    expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '{}'))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudformation.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    iam.destroy();
  });
});
