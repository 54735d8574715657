import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createStream } from '../support/aws';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import { motoEndpoint } from '../support/emulator';
import { repoRoot } from '../../local-pipeline/emulator/tools';

describe('producer/dist/index.js', () => {
  it('runs on plain Node from a directory with no node_modules, ending with its JSON summary', async () => {
    // Prepare: the bundle alone, far from the repository's node_modules
    await createStream(new KinesisClient(testClientConfig(motoEndpoint())), 'alone');
    const directory = mkdtempSync(join(tmpdir(), 'producer-alone-'));
    copyFileSync(join(repoRoot, 'producer', 'dist', 'index.js'), join(directory, 'producer.js'));

    // Act
    const result = spawnSync(
      process.execPath,
      ['producer.js', '--stream', 'alone', '--count', '25', '--rate', '0'],
      {
        cwd: directory,
        env: { PATH: process.env.PATH ?? '', ...emulatorEnvironment(motoEndpoint()) },
        encoding: 'utf8',
      },
    );
    rmSync(directory, { recursive: true, force: true });

    // Assess
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({
      sent: 25,
      putRecordsCalls: 1,
      retriedRecords: 0,
    });
  });
});
