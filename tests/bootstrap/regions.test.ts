import { ConfigurationError } from '../../actions/shared/errors';
import { checkRegion } from '../../bootstrap/src/regions';

/** The refusal checkRegion gives, or undefined when it accepts the region. */
function refusal(region: string): string | undefined {
  try {
    checkRegion(region);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
}

describe('npm run bootstrap: --region', () => {
  it.each(['us-east-1', 'eu-west-1', 'ap-southeast-2', 'me-south-1'])(
    'accepts %s, a commercial region with every service',
    (region) => {
      expect(checkRegion(region)).toBe(region);
    },
  );

  it.each(['1eu-west-1', 'eu-west-12', 'eu-west-1a', 'eu-west', 'EU-WEST-1', 'euwest-1'])(
    'refuses %s as no region name at all',
    (region) => {
      expect(refusal(region)).toBe(
        `--region '${region}' is not an AWS region name (e.g. eu-west-1, us-east-1)`,
      );
    },
  );

  it.each(['us-gov-west-1', 'cn-north-1', 'eu-south-2', 'xx-nowhere-9'])(
    'refuses %s, naming the services the stack needs and the regions that offer them',
    (region) => {
      expect(refusal(region)).toMatch(
        new RegExp(
          `^--region ${region} does not offer every service the stack needs \\(CloudFormation, IAM, .*CloudWatch Logs\\) in the commercial aws partition, as far as this tool knows; use one of: us-east-1, .*eu-west-1, `,
        ),
      );
    },
  );

  it('suggests only regions it accepts', () => {
    // Act
    const suggested = (refusal('eu-south-2') ?? '').split('use one of: ')[1]?.split(', ') ?? [];

    // Assess
    expect(suggested.length).toBeGreaterThan(10);
    expect(suggested.filter((region) => refusal(region) !== undefined)).toEqual([]);
  });
});
