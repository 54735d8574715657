import { decide } from './proof';
import { readTemplate } from './render';
import { deployRoleRequests, executionRoleRequests } from './role-requests';
import { loadStacks } from './stacks';

/**
 * The proof on the stack as it is with every Condition's other branch: an alert e-mail, SSH
 * ingress, a key pair, a pinned Availability Zone, tracing, detailed monitoring, OK
 * notifications and per-device metrics. The default rendering leaves those resources and
 * properties out, so without this a permission only they need would go unproven.
 */

const NON_DEFAULT = {
  AlertEmail: 'oncall@example.com',
  SshIngressCidr: '203.0.113.0/24',
  KeyPairName: 'operations',
  ProducerAvailabilityZone: 'us-east-1b',
  EnableTracing: 'true',
  DetailedMonitoring: 'true',
  AlarmOkNotifications: 'true',
  DetectorMetricsPerDevice: 'true',
};
const template = readTemplate('anomaly-detection.json');
const stacks = loadStacks(template, undefined, NON_DEFAULT);
const defaults = loadStacks(template);

describe('the proof with every Condition on its non-default branch', () => {
  it('renders every conditional resource in one rendering or the other', () => {
    const conditional = Object.entries(template.Resources)
      .filter(([, resource]) => (resource as { Condition?: string }).Condition)
      .map(([logicalId]) => logicalId);
    const rendered = new Set([
      ...Object.keys(stacks.app.resources),
      ...Object.keys(defaults.app.resources),
    ]);
    expect(conditional.length).toBeGreaterThan(0);
    expect(conditional.filter((logicalId) => !rendered.has(logicalId))).toEqual([]);
  });

  it('the execution role allows every handler permission of every resource', async () => {
    const refused: string[] = [];
    for (const [name, request] of await executionRoleRequests(stacks))
      if ((await decide(stacks, stacks.executionRole, request)) !== 'Allowed') refused.push(name);
    expect(refused).toEqual([]);
  });

  it("the deploy role allows every request of the actions' code", async () => {
    const refused: string[] = [];
    for (const [name, request] of deployRoleRequests(stacks))
      if ((await decide(stacks, stacks.deployRole, request)) !== 'Allowed') refused.push(name);
    expect(refused).toEqual([]);
  });
});
