/**
 * Retry settings every action's AWS clients take. Deploys run against accounts whose
 * CloudFormation, S3 and DynamoDB control planes throttle (several pipelines, the console and
 * CloudFormation itself calling at once): "adaptive" adds client-side rate limiting to the
 * standard exponential backoff, and 10 attempts ride out a burst that the default 3 do not.
 * AWS_RETRY_MODE / AWS_MAX_ATTEMPTS, when set, still win (the SDK reads them when we set nothing).
 */
export const DEFAULT_RETRY_MODE = 'adaptive';
export const DEFAULT_MAX_ATTEMPTS = 10;

export interface AwsClientOptions {
  retryMode?: string;
  maxAttempts?: number;
}

export function awsClientOptions(env: NodeJS.ProcessEnv = process.env): AwsClientOptions {
  const options: AwsClientOptions = {};
  if (!env.AWS_RETRY_MODE) options.retryMode = DEFAULT_RETRY_MODE;
  if (!env.AWS_MAX_ATTEMPTS) options.maxAttempts = DEFAULT_MAX_ATTEMPTS;
  return options;
}
