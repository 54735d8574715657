import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import detectorBundleOptions from '../../lambda/esbuild.json';
import { repoRoot } from '../../local-pipeline/emulator/tools';

// `npm test` builds the bundles before jest runs.
const bundle = join(repoRoot, 'lambda', 'dist', 'index.js');
const environment = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  ANOMALY_TABLE_NAME: 'm03p02_anomaly_data',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:m03p02_anomaly_alerts',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters',
};

function load(env: Record<string, string>) {
  return spawnSync(
    process.execPath,
    ['-e', `console.log(typeof require(${JSON.stringify(bundle)}).handler)`],
    {
      env,
      cwd: '/',
      encoding: 'utf8',
    },
  );
}

describe('lambda/dist/index.js', () => {
  it('loads with require() in plain Node, from outside the repository, with only the environment set', () => {
    const result = load(environment);
    expect(result.stderr).not.toContain('Error');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('function');
  });

  it('fails its cold start naming a missing variable', () => {
    const withoutTopic = Object.fromEntries(
      Object.entries(environment).filter(([name]) => name !== 'ALERT_TOPIC_ARN'),
    );
    const result = load(withoutTopic);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ConfigurationError: ALERT_TOPIC_ARN is not set');
  });

  it('is byte for byte what lambda-deploy bundles from the entry (one set of esbuild settings)', async () => {
    // lambda-deploy's `entry` path: the shared settings, the entry, output kept in memory.
    const result = await build({
      ...(detectorBundleOptions as BuildOptions),
      absWorkingDir: repoRoot,
      entryPoints: [join(repoRoot, 'lambda', 'src', 'handler.ts')],
      write: false,
      logLevel: 'silent',
    });
    const fromEntry = Buffer.from(result.outputFiles[0]!.contents);
    expect(fromEntry.equals(readFileSync(bundle))).toBe(true);
  });
});
