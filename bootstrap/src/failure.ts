// What the user reads when the bootstrap stops: the cause named (no credentials, a denied action
// with its resource, the context of an AWS call), never a bare stack trace.
import {
  AwsOperationError,
  ConfigurationError,
  StateError,
  describeError,
} from '../../actions/shared/errors';

const DENIED =
  /not authorized to perform:?\s*([\w-]+:[\w*-]+)(?:\s+on resource:?\s*(\S+?)(?=\s|$|,))?/i;
const NO_CREDENTIALS = /Could not load credentials|CredentialsProviderError/;
const BAD_CREDENTIALS =
  /^(InvalidClientTokenId|ExpiredToken|SignatureDoesNotMatch|UnrecognizedClient)/;

/** The message for a failure, with its cause named where one can be recognised. */
export function explainFailure(error: unknown): string {
  const cause = error instanceof AwsOperationError ? error.cause : error;
  const text = describeError(cause);
  if (
    NO_CREDENTIALS.test(text) ||
    (cause instanceof Error && cause.name === 'CredentialsProviderError')
  ) {
    return `No AWS credentials: the SDK's standard chain found none (environment variables, ~/.aws profile, SSO, instance role). Sign in (e.g. aws sso login, or export AWS_PROFILE) and run again. (${text})`;
  }
  if (BAD_CREDENTIALS.test(text)) {
    return `The AWS credentials were refused (${text}): they are expired or not valid; sign in again.`;
  }
  const denied = DENIED.exec(text);
  if (denied) {
    const context = error instanceof AwsOperationError ? `${error.context}: ` : '';
    const resource = denied[2] ? ` on ${denied[2]}` : '';
    return `${context}access denied: your credentials may not call ${denied[1]}${resource}. Grant it (or use an administrator's credentials) and run again. (${text})`;
  }
  if (
    error instanceof ConfigurationError ||
    error instanceof AwsOperationError ||
    error instanceof StateError
  )
    return error.message;
  return `Unexpected failure: ${text}`;
}
