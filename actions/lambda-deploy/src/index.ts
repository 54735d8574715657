import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import * as core from '@actions/core';
import * as github from '@actions/github';
import detectorBundleOptions from '../../../lambda/esbuild.json';
import { ConfigurationError } from '../../shared/errors';
import { awsClientOptions } from '../../shared/aws';
import { runContextOf } from '../../shared/github';
import { systemClock } from '../../shared/wait';
import { run } from './main';

const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();

/** esbuild is a native binary that cannot be bundled: it comes from the workspace (npm ci). */
async function bundle(entry: string): Promise<Uint8Array> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = createRequire(join(workspace, 'package.json'))('esbuild') as typeof import('esbuild');
  } catch {
    throw new ConfigurationError(
      'Input "entry" needs esbuild from the workspace: run `npm ci` before this step, or give a prebuilt "package".',
    );
  }
  const result = await esbuild.build({
    ...(detectorBundleOptions as import('esbuild').BuildOptions),
    entryPoints: [entry],
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output');
  return output.contents;
}

void run({
  io: core,
  lambda: new LambdaClient(awsClientOptions()),
  s3: new S3Client(awsClientOptions()),
  codedeploy: new CodeDeployClient(awsClientOptions()),
  clock: systemClock,
  run: runContextOf(github.context, process.env),
  workspace,
  bundle,
});
