import { AwsOperationError, ConfigurationError } from '../../actions/shared/errors';
import { explainFailure } from '../../bootstrap/src/failure';

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('npm run bootstrap: what a failure says', () => {
  it('names the denied action and its resource', () => {
    // Prepare
    const denied = new AwsOperationError(
      'could not create change set bootstrap-1 for stack anomaly-detection-staging-bootstrap',
      named(
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: cloudformation:CreateChangeSet on resource: arn:aws:cloudformation:us-east-1:123456789012:stack/anomaly-detection-staging-bootstrap/* because no identity-based policy allows the cloudformation:CreateChangeSet action',
      ),
    );

    // Act
    const message = explainFailure(denied);

    // Assess
    expect(message).toContain(
      'could not create change set bootstrap-1 for stack anomaly-detection-staging-bootstrap: access denied: your credentials may not call cloudformation:CreateChangeSet on arn:aws:cloudformation:us-east-1:123456789012:stack/anomaly-detection-staging-bootstrap/*.',
    );
  });

  it.each([
    [
      'User: arn:aws:sts::1:assumed-role/dev/me is not authorized to perform: iam:PassRole on resource: arn:aws:iam::1:role/x',
      'iam:PassRole on arn:aws:iam::1:role/x.',
    ],
    [
      'User: arn:aws:iam::1:user/dev is not authorized to perform sts:AssumeRole on resource arn:aws:iam::1:role/y, because no policy allows it',
      'sts:AssumeRole on arn:aws:iam::1:role/y.',
    ],
    [
      'not authorized to perform: cloudformation:DescribeStacks because no identity-based policy allows it',
      'cloudformation:DescribeStacks.',
    ],
  ])('names the action and resource of a denial as AWS words it: %s', (text, named) => {
    // Act
    const message = explainFailure(new Error(text));

    // Assess
    expect(message).toBe(
      `access denied: your credentials may not call ${named} Grant it (or use an administrator's credentials) and run again. (${text})`,
    );
  });

  it('says when there are no credentials at all', () => {
    // Act
    const message = explainFailure(
      new AwsOperationError(
        'could not identify the caller',
        named('CredentialsProviderError', 'Could not load credentials from any providers'),
      ),
    );

    // Assess
    expect(message).toMatch(/^No AWS credentials: the SDK's standard chain found none/);
  });

  it('says when the credentials are refused', () => {
    // Act
    const message = explainFailure(
      new AwsOperationError(
        'x',
        named('ExpiredToken', 'The security token included in the request is expired'),
      ),
    );

    // Assess
    expect(message).toMatch(
      /^The AWS credentials were refused \(ExpiredToken: .*\): they are expired or not valid/,
    );
  });

  it('keeps our own errors as they are, and names anything else unexpected', () => {
    // Act
    const ours = explainFailure(new ConfigurationError('--repo is wrong'));
    const other = explainFailure(new RangeError('boom'));

    // Assess
    expect([ours, other]).toEqual(['--repo is wrong', 'Unexpected failure: RangeError: boom']);
  });
});
