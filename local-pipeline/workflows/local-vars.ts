import { physicalNames } from '../../bootstrap/src/environments';
import { TEST_REGION } from '../emulator/clients';

/**
 * The GitHub environment variables the workflows read in `environment`, as `npm run bootstrap`
 * would set them: the stack named after the environment, its bootstrap roles named after the
 * stack (the local run creates the execution role; moto enforces no IAM).
 */
export interface LocalVars extends Record<string, string> {
  readonly AWS_DEPLOY_ROLE_ARN: string;
  readonly AWS_CFN_EXECUTION_ROLE_ARN: string;
  readonly AWS_PREVIEW_ROLE_ARN: string;
  readonly AWS_REGION: string;
  readonly STACK_NAME: string;
  readonly ALERT_EMAIL: string;
}

export function localVars(environment: string): LocalVars {
  const { stackName } = physicalNames(environment);
  const role = (name: string) => `arn:aws:iam::123456789012:role/${stackName}-${name}`;
  return {
    AWS_DEPLOY_ROLE_ARN: role('github-deploy'),
    AWS_CFN_EXECUTION_ROLE_ARN: role('cloudformation-execution'),
    AWS_PREVIEW_ROLE_ARN: role('github-preview'),
    AWS_REGION: TEST_REGION,
    STACK_NAME: stackName,
    ALERT_EMAIL: '',
  };
}
