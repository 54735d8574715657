import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { motoEndpoint } from '../support/emulator';
import { LocalEnvironment } from '../../local-pipeline/local-environment';
import type { JobRun } from '../../local-pipeline/workflows/workflow-runner';

/**
 * A producer instance replaced after the producer was deployed (a new AMI or instance type
 * replaces it) has nothing on it, and the group's last successful deployment is of the same
 * revision. The next deploy run must ship the producer to it anyway, and the run after that
 * must find nothing to do.
 */

let local: LocalEnvironment;
let first: JobRun;
let second: JobRun;
let third: JobRun;
let original: LocalEnvironment['codedeploy']['deployments'][number];
let replacement: string;
const stepOf = (run: JobRun, id: string) => run.steps.find((step) => step.id === id);

// Three deploy runs of the whole workflow: each test only reads what they did.
beforeAll(async () => {
  local = await LocalEnvironment.start(motoEndpoint());
  first = await local.deploy();
  original = local.codedeploy.deployments.at(-1)!;
  replacement = await local.replaceProducerInstance();
  second = await local.deploy();
  third = await local.deploy();
}, 600_000);

afterAll(async () => {
  await local.stop();
});

describe('a replaced producer instance', () => {
  it('had the producer before, and is out of the group once replaced', async () => {
    expect(stepOf(first, 'producer')?.outputs).toMatchObject({
      changed: 'true',
      status: 'Succeeded',
    });
    const { Reservations = [] } = await new EC2Client(local.clientConfig()).send(
      new DescribeInstancesCommand({ InstanceIds: [original.instanceId] }),
    );
    expect(['pending', 'running']).not.toContain(Reservations[0]?.Instances?.[0]?.State?.Name);
    expect(replacement).not.toBe(original.instanceId);
  });

  it('gets the same revision from the next deploy run, with the stack unchanged', () => {
    expect(stepOf(second, 'stack')?.outputs.changed).toBe('false');
    expect(stepOf(second, 'producer')?.outputs).toMatchObject({
      changed: 'true',
      status: 'Succeeded',
    });
    const redeployment = local.codedeploy.deployments[1];
    expect(redeployment).toMatchObject({
      instanceId: replacement,
      status: 'Succeeded',
      revision: original.revision,
    });
    expect(
      redeployment?.events.find((event) => event.lifecycleEventName === 'ValidateService'),
    ).toMatchObject({ status: 'Succeeded' });
    expect(stepOf(second, 'producer')?.summary).toContain(
      `| ${replacement} | ValidateService | Succeeded |`,
    );
  });

  it('is left alone by the run after that', () => {
    expect(stepOf(third, 'producer')?.outputs).toMatchObject({
      changed: 'false',
      'deployment-id': local.codedeploy.deployments[1]?.id,
    });
    expect(local.codedeploy.deployments).toHaveLength(2);
  });
});
