import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { motoEndpoint } from '../support/emulator';
import { LocalEnvironment } from '../../local-pipeline/local-environment';
import type { JobRun } from '../../local-pipeline/workflow-runner';

/**
 * A producer instance replaced after the producer was deployed (a new AMI or instance type
 * replaces it) has nothing on it, and the group's last successful deployment is of the same
 * revision. The next deploy run must ship the producer to it anyway, and the run after that
 * must find nothing to do.
 */

let local: LocalEnvironment;
const stepOf = (run: JobRun, id: string) => run.steps.find((step) => step.id === id);

beforeAll(async () => {
  local = await LocalEnvironment.start(motoEndpoint());
});

afterAll(async () => {
  await local.stop();
});

it('a replaced producer instance gets the producer again from the next deploy run, and only once', async () => {
  // Prepare: everything deployed, then the instance replaced
  const first = await local.deploy();
  expect(stepOf(first, 'producer')?.outputs).toMatchObject({
    changed: 'true',
    status: 'Succeeded',
  });
  const original = local.codedeploy.deployments.at(-1)!;
  const replacement = await local.replaceProducerInstance();

  // Act
  const second = await local.deploy();
  const third = await local.deploy();

  // Assess
  const { Reservations = [] } = await new EC2Client(local.clientConfig()).send(
    new DescribeInstancesCommand({ InstanceIds: [original.instanceId] }),
  );
  expect(['pending', 'running']).not.toContain(Reservations[0]?.Instances?.[0]?.State?.Name);
  expect(stepOf(second, 'stack')?.outputs.changed).toBe('false');
  expect(stepOf(second, 'producer')?.outputs).toMatchObject({
    changed: 'true',
    status: 'Succeeded',
  });
  const redeployment = local.codedeploy.deployments.at(-1)!;
  expect(redeployment).toMatchObject({
    instanceId: replacement,
    status: 'Succeeded',
    revision: original.revision,
  });
  expect(
    redeployment.events.find((event) => event.lifecycleEventName === 'ValidateService'),
  ).toMatchObject({ status: 'Succeeded' });
  expect(stepOf(second, 'producer')?.summary).toContain(
    `| ${replacement} | ValidateService | Succeeded |`,
  );
  expect(stepOf(third, 'producer')?.outputs).toMatchObject({
    changed: 'false',
    'deployment-id': redeployment.id,
  });
  expect(local.codedeploy.deployments).toHaveLength(2);
});
