import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { ConfigurationError } from './config';

/**
 * The detector's own CloudWatch metrics, written as Embedded Metric Format lines on stdout
 * (CloudWatch Logs turns them into metrics: no PutMetricData request, no extra permission).
 * The dashboard in cloudformation/anomaly-detection.json plots them by these names, so a
 * rename here breaks tests/cloudformation/dashboard.test.ts rather than leaving an empty graph.
 */
export const METRICS_NAMESPACE = 'AnomalyDetection';
/** Powertools' own dimension; the stack sets it to the stack name, so metrics are per stack. */
export const STACK_DIMENSION = 'service';
/** Added, in a second set of lines, only when METRICS_PER_DEVICE is true (a metric per device). */
export const DEVICE_DIMENSION = 'DeviceId';
export const DEFAULT_SERVICE_NAME = 'anomaly-detector';

export const DETECTOR_METRICS = {
  ReadingsProcessed: MetricUnit.Count,
  Anomalies: MetricUnit.Count,
  ExcursionsOpened: MetricUnit.Count,
  ExcursionsClosed: MetricUnit.Count,
  Reminders: MetricUnit.Count,
  DeadLetters: MetricUnit.Count,
  BatchDuration: MetricUnit.Milliseconds,
} as const;
export type DetectorMetricName = keyof typeof DETECTOR_METRICS;
/** The metrics also published per device when that dimension is on (BatchDuration is per batch). */
export const PER_DEVICE_METRICS: readonly DetectorMetricName[] = [
  'ReadingsProcessed',
  'Anomalies',
  'ExcursionsOpened',
  'ExcursionsClosed',
  'Reminders',
  'DeadLetters',
];

/**
 * What the detector counts itself, as it decodes, checkpoints, writes states and sends messages
 * (it already decodes every record: counting here costs no second decode). BatchDuration is
 * measured around the handler instead.
 */
export type ExcursionCounterName = Exclude<DetectorMetricName, 'BatchDuration'>;

/** Filled by the detector during an invocation (see DetectorMetrics.wrap). */
export interface ExcursionCounters {
  count(name: ExcursionCounterName, deviceId: string, value?: number): void;
}

export interface MetricsConfig {
  readonly serviceName: string;
  readonly perDevice: boolean;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** POWERTOOLS_SERVICE_NAME (the stack sets its name) and METRICS_PER_DEVICE (true/false). */
export function loadMetricsConfig(env: Environment): MetricsConfig {
  const serviceName = env.POWERTOOLS_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME;
  // Unset and empty both mean false.
  const perDevice = (env.METRICS_PER_DEVICE ?? '').trim().toLowerCase();
  if (perDevice !== 'true' && perDevice !== 'false' && perDevice !== '') {
    throw new ConfigurationError(
      `METRICS_PER_DEVICE "${env.METRICS_PER_DEVICE}" must be true or false.`,
    );
  }
  return { serviceName, perDevice: perDevice === 'true' };
}

type Counts = Map<DetectorMetricName, number>;

export class DetectorMetrics implements ExcursionCounters {
  private readonly emitter: Metrics;
  private readonly total: Counts = new Map();
  private readonly byDevice = new Map<string, Counts>();

  constructor(
    private readonly config: MetricsConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.emitter = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: config.serviceName });
  }

  count(name: ExcursionCounterName, deviceId: string, value = 1): void {
    add(this.total, name, value);
    if (!this.config.perDevice) return;
    const counts = this.byDevice.get(deviceId) ?? new Map<DetectorMetricName, number>();
    this.byDevice.set(deviceId, add(counts, name, value));
  }

  /**
   * Runs the handler (which counts through this object, see ExcursionCounters) and publishes
   * one EMF line for the stack (and one per device when on), even when the handler throws.
   */
  wrap<Event, Result>(
    handler: (event: Event) => Promise<Result>,
  ): (event: Event) => Promise<Result> {
    return async (event) => {
      const started = this.now();
      try {
        return await handler(event);
      } finally {
        this.total.set('BatchDuration', this.now() - started);
        this.publish();
      }
    };
  }

  private publish(): void {
    for (const name of Object.keys(DETECTOR_METRICS) as DetectorMetricName[]) {
      this.emitter.addMetric(name, DETECTOR_METRICS[name], this.total.get(name) ?? 0);
    }
    this.emitter.publishStoredMetrics();
    for (const [deviceId, counts] of this.byDevice) {
      this.emitter.addDimension(DEVICE_DIMENSION, deviceId);
      for (const name of PER_DEVICE_METRICS) {
        this.emitter.addMetric(name, DETECTOR_METRICS[name], counts.get(name) ?? 0);
      }
      this.emitter.publishStoredMetrics();
    }
    this.total.clear();
    this.byDevice.clear();
  }
}

function add(counts: Counts, name: DetectorMetricName, value: number): Counts {
  return counts.set(name, (counts.get(name) ?? 0) + value);
}
