// Runs `npm run bootstrap` in this process: run(deps) with real AWS clients on the emulator and
// GitHub's API on a fake GitHub, the way bootstrap/src/index.ts wires them, with a clock whose
// sleeps pass at once. What the user would see is recorded: stderr (log), stdout (printed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListChangeSetsCommand,
} from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { Deps } from '../../bootstrap/src/deps';
import { run, type BootstrapSummary } from '../../bootstrap/src/main';
import { testClientConfig } from '../../local-pipeline/emulator/clients';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { requestTo } from './fake-github';

export const TEMPLATE = readFileSync(
  join(repoRoot, 'cloudformation', 'bootstrap-oidc.json'),
  'utf8',
);

export interface InProcessRun {
  readonly summary: BootstrapSummary | undefined;
  /** The failure, when run() threw. */
  readonly error: Error | undefined;
  readonly log: string[];
  readonly printed: string[];
  readonly questions: string[];
  /** The regions the AWS clients were made for. */
  readonly regions: string[];
}

export interface Setting {
  readonly endpoint: string;
  readonly github?: { readonly url: string; readonly token: string };
  /** A terminal's answer to the question, or no terminal at all (undefined). */
  readonly answer?: boolean;
  readonly defaultRegion?: string;
}

export async function bootstrapInProcess(
  argv: readonly string[],
  setting: Setting,
): Promise<InProcessRun> {
  const log: string[] = [];
  const printed: string[] = [];
  const questions: string[] = [];
  const regions: string[] = [];
  let now = Date.parse('2026-11-27T12:00:00Z');
  const deps: Deps = {
    argv,
    log: (line) => log.push(line),
    print: (line) => printed.push(line),
    interactive: setting.answer !== undefined,
    confirm: (question) => {
      questions.push(question);
      return Promise.resolve(setting.answer ?? false);
    },
    clock: { now: () => now, sleep: (ms) => ((now += ms), Promise.resolve()) },
    template: TEMPLATE,
    defaultRegion: () => Promise.resolve(setting.defaultRegion ?? 'us-east-1'),
    aws: (region) => {
      regions.push(region);
      const config = { ...testClientConfig(setting.endpoint), region };
      return {
        cloudformation: new CloudFormationClient(config),
        iam: new IAMClient(config),
        sts: new STSClient(config),
      };
    },
    githubToken: () => Promise.resolve(setting.github?.token),
    github: (token) => requestTo(setting.github?.url ?? 'http://127.0.0.1:9', token),
  };
  try {
    const summary = await run(deps);
    return { summary, error: undefined, log, printed, questions, regions };
  } catch (error) {
    return { summary: undefined, error: error as Error, log, printed, questions, regions };
  }
}

/** A stack's parameters on the emulator, by key. */
export async function stackParameters(
  endpoint: string,
  stackName: string,
): Promise<Record<string, string>> {
  const cloudformation = new CloudFormationClient(testClientConfig(endpoint));
  const { Stacks = [] } = await cloudformation.send(
    new DescribeStacksCommand({ StackName: stackName }),
  );
  return Object.fromEntries(
    (Stacks[0]?.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']),
  );
}

/** The change sets of a stack that were never executed (moto keeps the executed ones). */
export async function unexecutedChangeSets(endpoint: string, stackName: string) {
  const cloudformation = new CloudFormationClient(testClientConfig(endpoint));
  const { Summaries = [] } = await cloudformation.send(
    new ListChangeSetsCommand({ StackName: stackName }),
  );
  return Summaries.filter((summary) => summary.ExecutionStatus !== 'EXECUTE_COMPLETE');
}
