import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface TemplateView {
  readonly Parameters: Record<string, { Default?: unknown }>;
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

export interface Batching {
  readonly batchSize: number;
  readonly windowSeconds: number;
  readonly parallelizationFactor: number;
}

/** A property's value, or its parameter's default when it is a Ref to one. */
function resolved(template: TemplateView, value: unknown): number {
  const ref = (value as { Ref?: unknown } | undefined)?.Ref;
  const raw = typeof ref === 'string' ? template.Parameters[ref]?.Default : value;
  const number = Number(raw);
  if (!Number.isFinite(number))
    throw new Error(`the template has no number for ${JSON.stringify(value)}`);
  return number;
}

/** The event source mapping's batching as the application template deploys it by default. */
export function deployedBatching(repoRoot: string): Batching {
  const template = JSON.parse(
    readFileSync(join(repoRoot, 'cloudformation', 'anomaly-detection.json'), 'utf8'),
  ) as TemplateView;
  const mapping = Object.values(template.Resources).find(
    (resource) => resource.Type === 'AWS::Lambda::EventSourceMapping',
  )?.Properties;
  if (!mapping) throw new Error('the template has no event source mapping');
  return {
    batchSize: resolved(template, mapping.BatchSize),
    windowSeconds: resolved(template, mapping.MaximumBatchingWindowInSeconds),
    parallelizationFactor: resolved(template, mapping.ParallelizationFactor),
  };
}
