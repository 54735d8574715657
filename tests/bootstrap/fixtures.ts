// Unit-test set-up for run(deps): mocked AWS clients, a recording GitHub, a clock whose sleeps
// pass at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { IAMClient, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { Deps, GitHubRequest } from '../../bootstrap/src/deps';
import { repoRoot } from '../../local-pipeline/emulator/tools';

export const cfn = mockClient(CloudFormationClient);
export const iam = mockClient(IAMClient);
export const sts = mockClient(STSClient);

export const TEMPLATE = readFileSync(
  join(repoRoot, 'cloudformation', 'bootstrap-oidc.json'),
  'utf8',
);

export interface Recorded {
  readonly deps: Deps;
  readonly log: string[];
  readonly printed: string[];
  readonly github: { route: string; parameters: Record<string, unknown> | undefined }[];
}

export function resetAws(): void {
  cfn.reset();
  iam.reset();
  sts.reset();
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/admin' });
  iam.on(ListOpenIDConnectProvidersCommand).resolves({ OpenIDConnectProviderList: [] });
}

/** A GitHub where the repository exists and has no environments yet. */
export const emptyGitHub =
  (calls: Recorded['github']): GitHubRequest =>
  (route, parameters) => {
    calls.push({ route, parameters });
    if (route === 'GET /repos/{owner}/{repo}')
      return Promise.resolve({ status: 200, data: { permissions: { admin: true } } });
    if (route === 'GET /users/{username}') return Promise.resolve({ status: 200, data: { id: 7 } });
    if (route.startsWith('GET '))
      return Promise.reject(Object.assign(new Error('Not Found'), { status: 404 }));
    return Promise.resolve({ status: 201, data: {} });
  };

export function recordedDeps(
  argv: readonly string[],
  options: { interactive?: boolean; answer?: boolean } = {},
): Recorded {
  const log: string[] = [];
  const printed: string[] = [];
  const github: Recorded['github'] = [];
  let now = 1_000_000;
  const deps: Deps = {
    argv,
    log: (line) => log.push(line),
    print: (line) => printed.push(line),
    interactive: options.interactive ?? false,
    confirm: () => Promise.resolve(options.answer ?? false),
    clock: { now: () => now, sleep: (ms) => ((now += ms), Promise.resolve()) },
    template: TEMPLATE,
    defaultRegion: () => Promise.resolve('us-east-1'),
    aws: () => ({
      cloudformation: new CloudFormationClient({ region: 'us-east-1' }),
      iam: new IAMClient({ region: 'us-east-1' }),
      sts: new STSClient({ region: 'us-east-1' }),
    }),
    githubToken: () => Promise.resolve('token'),
    github: () => emptyGitHub(github),
  };
  return { deps, log, printed, github };
}
