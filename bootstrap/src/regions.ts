// Where the application stack can live. The stack needs every service below in its region, and
// GitHub's OIDC tokens name the audience `sts.amazonaws.com`, which only the commercial `aws`
// partition accepts. The SDK's partition data names regions but not the services each offers, so
// this is a documented list (AWS "Regional services", checked for each service below): the
// commercial regions that offer all of them. A region missing here is refused before any call;
// add it once every required service is offered there.
import { ConfigurationError } from '../../actions/shared/errors';

export const REQUIRED_SERVICES: readonly string[] = [
  'CloudFormation',
  'IAM',
  'STS',
  'Lambda',
  'Kinesis Data Streams',
  'DynamoDB',
  'SNS',
  'KMS',
  'EC2',
  'S3',
  'CodeDeploy',
  'CloudWatch',
  'CloudWatch Logs',
];

export const SUPPORTED_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'eu-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-south-1',
  'ap-east-1',
  'me-south-1',
  'af-south-1',
];

const REGION_SHAPE = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

/** The region itself, or a ConfigurationError saying why the stack cannot live there. */
export function checkRegion(region: string): string {
  if (!REGION_SHAPE.test(region)) {
    throw new ConfigurationError(
      `--region '${region}' is not an AWS region name (e.g. eu-west-1, us-east-1)`,
    );
  }
  if (!SUPPORTED_REGIONS.includes(region)) {
    throw new ConfigurationError(
      `--region ${region} does not offer every service the stack needs (${REQUIRED_SERVICES.join(', ')}) ` +
        `in the commercial aws partition, as far as this tool knows; use one of: ${SUPPORTED_REGIONS.join(', ')}`,
    );
  }
  return region;
}
