import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CreateStreamCommand, KinesisClient, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { testClientConfig, TEST_REGION } from '../emulator/clients';
import { startFakeImds } from './fake-imds';
import { startMoto } from '../emulator/moto';
import { readStream } from '../report/streams';
import { repoRoot } from '../emulator/tools';

/**
 * The pull request's check with the real CodeDeploy agent (pr.yml, job codedeploy-agent), on a
 * runner where scripts/codedeploy-agent-check.sh has installed it: the built revision is
 * deployed, then deployed again (ApplicationStop then runs the first copy's script, Install
 * removes the first copy's files), by codedeploy-local as root, each time through every hook
 * to ValidateService. What an instance gets from AWS comes from the emulator: its metadata
 * (region, stream tag) from the fake IMDS, Kinesis from moto; the service runs under the
 * runner's systemd. Exits non-zero when the agent rejects or fails the revision, or when no
 * reading reached the stream.
 */

const STREAM = 'm03p02_raw_data_stream';
const GROUP = 'pr-agent-check';

async function main(): Promise<number> {
  const moto = await startMoto();
  const imds = await startFakeImds({
    'placement/region': TEST_REGION,
    'tags/instance/AnomalyStreamName': STREAM,
  });
  try {
    const kinesis = new KinesisClient(testClientConfig(moto.endpoint));
    await kinesis.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60 }, { StreamName: STREAM });
    for (const round of ['first deployment', 'redeployment']) {
      console.log(`::group::${round}`);
      const status = await deployWithAgent({
        AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint,
        PRODUCER_AWS_ENDPOINT_URL: moto.endpoint,
      });
      console.log('::endgroup::');
      if (status !== 0) return status;
    }
    const readings = (await readStream(kinesis, STREAM)).length;
    console.log(`the deployed producer sent ${readings} readings to ${STREAM}`);
    return readings > 0 ? 0 : 1;
  } finally {
    await imds.stop();
    await moto.stop();
  }
}

/** Asynchronously: the fake IMDS answers the hooks from this very process meanwhile. */
function deployWithAgent(env: Record<string, string>): Promise<number> {
  const script = join(repoRoot, 'scripts', 'codedeploy-agent-check.sh');
  const preserved = Object.keys(env).join(',');
  const child = spawn(
    'sudo',
    [`--preserve-env=${preserved}`, 'bash', script, 'deploy', join(repoRoot, 'appspec'), GROUP],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  return new Promise((resolve) => {
    child.once('error', () => {
      resolve(1);
    });
    child.once('close', (code) => {
      resolve(code ?? 1);
    });
  });
}

void main().then((status) => {
  process.exitCode = status;
});
