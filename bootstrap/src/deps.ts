import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import type { Clock } from '../../actions/shared/wait';

export interface AwsClients {
  readonly cloudformation: CloudFormationClient;
  readonly iam: IAMClient;
  readonly sts: STSClient;
}

/** GitHub's REST API as @octokit/core's `request` offers it; failures carry an HTTP `status`. */
export type GitHubRequest = (
  route: string,
  parameters?: Record<string, unknown>,
) => Promise<{ readonly status: number; readonly data: unknown }>;

export interface Deps {
  readonly argv: readonly string[];
  /** Progress and the plan, for people (stderr). */
  readonly log: (line: string) => void;
  /** Results (stdout): the gh commands to run, and the JSON summary last. */
  readonly print: (line: string) => void;
  readonly interactive: boolean;
  readonly confirm: (question: string) => Promise<boolean>;
  readonly clock: Clock;
  /** The bootstrap template's body (cloudformation/bootstrap-oidc.json). */
  readonly template: string;
  /** The region the SDK's standard chain names, when --region is not given. */
  readonly defaultRegion: () => Promise<string | undefined>;
  readonly aws: (region: string) => AwsClients;
  /** GITHUB_TOKEN, else the GitHub CLI's token, else undefined. */
  readonly githubToken: () => Promise<string | undefined>;
  readonly github: (token: string) => GitHubRequest;
}
