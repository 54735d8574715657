import { spawnSync } from 'node:child_process';
import { toolEnvironment } from '../../local-pipeline/emulator/tools';
import { loadTemplate } from './template';

/** The producer's instance: it launches with every allowed type, and the stack waits for its agent. */
const template = loadTemplate('anomaly-detection.json');
const instance = template.Resources.ProducerInstance as unknown as {
  CreationPolicy?: { ResourceSignal?: { Count?: number; Timeout?: string } };
  Properties: { EbsOptimized?: boolean; UserData: { 'Fn::Base64': { 'Fn::Sub': string } } };
};
const userData = instance.Properties.UserData['Fn::Base64']['Fn::Sub'];

describe('the producer instance', () => {
  it('makes the stack wait for its signal, at most 30 minutes', () => {
    expect(instance.CreationPolicy?.ResourceSignal?.Count).toBe(1);
    const minutes = /^PT(\d+)M$/.exec(instance.CreationPolicy?.ResourceSignal?.Timeout ?? '');
    expect(Number(minutes?.[1])).toBeGreaterThan(0);
    expect(Number(minutes?.[1])).toBeLessThanOrEqual(30);
  });

  it('signals success only once the agent runs, and failure from any later failing step', () => {
    const lines = userData.split('\n');
    const trapAt = lines.findIndex((line) => line.startsWith("trap 'signal 1 "));
    const activeCheck = lines.lastIndexOf('systemctl is-active --quiet codedeploy-agent');
    const success = lines.findIndex((line) => line.startsWith('signal 0 '));
    expect(trapAt).toBeGreaterThan(0);
    expect(lines.findIndex((line) => line.includes('./install auto'))).toBeGreaterThan(trapAt);
    expect(activeCheck).toBeGreaterThan(trapAt);
    expect(success).toBeGreaterThan(activeCheck);
    expect(userData).toContain('--resource ProducerInstance');
  });

  it('retries every download and waits for the apt lock instead of failing', () => {
    const networkSteps = userData
      .split('\n')
      .filter((line) => /apt_get (update|install)|pip install|wget |\.\/install auto/.test(line));
    expect(networkSteps.length).toBeGreaterThanOrEqual(5);
    for (const step of networkSteps) expect(step).toMatch(/^retry /);
    expect(userData).toContain('DPkg::Lock::Timeout=');
  });

  it('passes shellcheck', () => {
    const script = userData.replace(/\$\{AWS::(\w+)\}/g, 'aws-$1');
    const result = spawnSync('shellcheck', ['--shell=bash', '-'], {
      input: script,
      env: toolEnvironment(),
      encoding: 'utf8',
    });
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('allows only instance types that launch EBS-optimized (no t2)', () => {
    const types = (template.Parameters.InstanceType as unknown as { AllowedValues: string[] })
      .AllowedValues;
    expect(instance.Properties.EbsOptimized).toBe(true);
    expect(types.length).toBeGreaterThan(0);
    for (const type of types) expect(type).toMatch(/^t3a?\./);
  });

  it("puts the subnet in the Availability Zone given, or the region's first", () => {
    const subnet = template.Resources.ProducerSubnet?.Properties?.AvailabilityZone;
    expect(subnet).toEqual({
      'Fn::If': [
        'HasProducerAvailabilityZone',
        { Ref: 'ProducerAvailabilityZone' },
        { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      ],
    });
    expect(template.Parameters.ProducerAvailabilityZone?.Default).toBe('');
  });
});
