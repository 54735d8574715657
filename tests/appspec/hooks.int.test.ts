import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createStream, readStream } from '../support/aws';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import {
  instancePaths,
  runRevision,
  stopServices,
  type AgentOptions,
} from '../../local-pipeline/codedeploy/codedeploy-agent';
import { motoEndpoint } from '../support/emulator';
import { startFakeImds, type FakeImds } from '../../local-pipeline/codedeploy/fake-imds';
import { repoRoot } from '../../local-pipeline/emulator/tools';

const revisionDir = join(repoRoot, 'appspec');
let imds: FakeImds;
let kinesis: KinesisClient;
let scratch: string;

function agentOptions(name: string, overrides: Partial<AgentOptions> = {}): AgentOptions {
  return {
    revisionDir,
    instanceDir: join(scratch, name),
    env: {
      PATH: process.env.PATH ?? '',
      ...emulatorEnvironment(motoEndpoint()),
      AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint,
    },
    deploymentId: 'd-TEST',
    applicationName: 'anomaly-detection',
    deploymentGroupName: 'producers',
    ...overrides,
  };
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'revision-'));
  kinesis = new KinesisClient(testClientConfig(motoEndpoint()));
  await createStream(kinesis, 'm03p02_raw_data_stream');
  imds = await startFakeImds({
    'placement/region': 'us-east-1',
    'tags/instance/AnomalyStreamName': 'm03p02_raw_data_stream',
  });
});

afterAll(async () => {
  for (const name of ['good', 'broken']) stopServices(instancePaths(join(scratch, name)).stateDir);
  await imds.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the revision run by the stand-in agent', () => {
  it("installs, starts and validates the producer, which streams into the stack's stream", async () => {
    // Prepare
    const options = agentOptions('good');

    // Act
    const first = await runRevision(options);
    const second = await runRevision({ ...options, deploymentId: 'd-TEST2' });
    const { root, stateDir } = instancePaths(options.instanceDir);

    // Assess
    expect(first.events.map((event) => [event.event, event.status])).toEqual([
      ['ApplicationStop', 'Skipped'],
      ['BeforeInstall', 'Succeeded'],
      ['Install', 'Succeeded'],
      ['AfterInstall', 'Succeeded'],
      ['ApplicationStart', 'Succeeded'],
      ['ValidateService', 'Succeeded'],
    ]);
    expect(second.status).toBe('Succeeded');
    expect(second.events[0]).toMatchObject({ event: 'ApplicationStop', status: 'Succeeded' });
    const env = readFileSync(join(root, 'etc/anomaly-producer/producer.env'), 'utf8');
    expect(env).toContain('STREAM_NAME=m03p02_raw_data_stream');
    expect(env).toContain('AWS_REGION=us-east-1');
    expect(env).toContain('DEVICE_ID=DHT-001');
    expect(env).not.toContain('DEVICE_COUNT');
    const calls = readFileSync(join(stateDir, 'calls.log'), 'utf8');
    expect(calls).toContain(
      'useradd --system --no-create-home --shell /usr/sbin/nologin anomaly-producer',
    );
    expect(calls).toMatch(
      /systemctl stop anomaly-producer[\s\S]*systemctl restart anomaly-producer/,
    );
    expect((await readStream(kinesis, 'm03p02_raw_data_stream')).length).toBeGreaterThan(0);
  });

  it('fails ValidateService, with the reason in the log tail, when the producer cannot start', async () => {
    // Prepare: the instance's tag names a stream that does not exist
    imds.metadata.set('tags/instance/AnomalyStreamName', 'no-such-stream');
    const options = agentOptions('broken');

    // Act
    const run = await runRevision(options);
    imds.metadata.set('tags/instance/AnomalyStreamName', 'm03p02_raw_data_stream');

    // Assess
    expect(run.status).toBe('Failed');
    const last = run.events.at(-1);
    expect(last).toMatchObject({
      event: 'ValidateService',
      status: 'Failed',
      errorCode: 'ScriptFailed',
      script: 'scripts/validate_service.sh',
    });
    expect(last?.logTail).toContain('anomaly-producer is not running');
  });

  it("streams the stack's DeviceCount devices when the instance's tag asks for a fleet", async () => {
    // Prepare
    imds.metadata.set('tags/instance/AnomalyDeviceCount', '25');
    const options = agentOptions('fleet');

    // Act
    const run = await runRevision(options);
    imds.metadata.delete('tags/instance/AnomalyDeviceCount');
    const { root, stateDir } = instancePaths(options.instanceDir);
    stopServices(stateDir);

    // Assess
    expect(run.status).toBe('Succeeded');
    const env = readFileSync(join(root, 'etc/anomaly-producer/producer.env'), 'utf8');
    expect(env).toContain('DEVICE_COUNT=25');
    expect(env).not.toContain('DEVICE_ID');
    const keys = (await readStream(kinesis, 'm03p02_raw_data_stream')).map(
      (data) => (JSON.parse(data) as { deviceId: string }).deviceId,
    );
    expect(keys).toContain('DHT-025');
  });

  it('fails AfterInstall, naming the tag, when the device count is out of range', async () => {
    imds.metadata.set('tags/instance/AnomalyDeviceCount', '0');

    const run = await runRevision(agentOptions('no-devices'));
    imds.metadata.delete('tags/instance/AnomalyDeviceCount');

    expect(run.events.at(-1)).toMatchObject({ event: 'AfterInstall', status: 'Failed' });
    expect(run.events.at(-1)?.logTail).toContain(
      'tag AnomalyDeviceCount "0" is not a number of devices from 1 to 100000',
    );
  });

  it('fails AfterInstall, naming the tag, when the instance has no stream tag', async () => {
    // Prepare
    imds.metadata.delete('tags/instance/AnomalyStreamName');
    const options = agentOptions('untagged');

    // Act
    const run = await runRevision(options);
    imds.metadata.set('tags/instance/AnomalyStreamName', 'm03p02_raw_data_stream');

    // Assess
    expect(run.events.at(-1)).toMatchObject({ event: 'AfterInstall', status: 'Failed' });
    expect(run.events.at(-1)?.logTail).toContain('AnomalyStreamName');
  });
});
