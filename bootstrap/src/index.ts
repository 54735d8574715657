// `npm run bootstrap` (scripts/bootstrap.mjs bundles and runs this file): wires the real AWS
// clients (the SDK's standard credential chain; AWS_ENDPOINT_URL is honoured by the SDK itself),
// GitHub's API through @octokit/core (GITHUB_API_URL), the terminal, and maps failures to a
// message and exit status 1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { Octokit } from '@octokit/core';
import { execa } from 'execa';
import { awsClientOptions } from '../../actions/shared/aws';
import { systemClock } from '../../actions/shared/wait';
import type { Deps } from './deps';
import { explainFailure } from './failure';
import { run } from './main';
import { TEMPLATE_PATH } from './stack';

const root = process.env.BOOTSTRAP_REPO_ROOT ?? process.cwd();

async function githubToken(): Promise<string | undefined> {
  if (process.env.GITHUB_TOKEN) return process.env.GITHUB_TOKEN;
  // The GitHub CLI's token, when gh is installed and signed in; otherwise there is none.
  const gh = await execa('gh', ['auth', 'token'], { reject: false });
  return gh.exitCode === 0 && gh.stdout.trim() ? gh.stdout.trim() : undefined;
}

async function confirm(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}

const deps: Deps = {
  argv: process.argv.slice(2),
  log: (line) => process.stderr.write(`${line}\n`),
  print: (line) => process.stdout.write(`${line}\n`),
  interactive: process.stdin.isTTY && process.stderr.isTTY,
  confirm,
  clock: systemClock,
  template: readFileSync(join(root, TEMPLATE_PATH), 'utf8'),
  defaultRegion: async () => {
    try {
      return await new STSClient({}).config.region();
    } catch {
      return undefined;
    }
  },
  aws: (region) => {
    const options = { region, ...awsClientOptions() };
    return {
      cloudformation: new CloudFormationClient(options),
      iam: new IAMClient(options),
      sts: new STSClient(options),
    };
  },
  githubToken,
  github: (token) => {
    const octokit = new Octokit({
      auth: token,
      baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com',
      userAgent: 'anomaly-detection-pipeline bootstrap',
    });
    return (route, parameters) => octokit.request(route, parameters);
  },
};

run(deps).then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    process.stderr.write(`bootstrap: ${explainFailure(error)}\n`);
    process.exitCode = 1;
  },
);
