import { fromEnv } from './deps';
import { createHandler } from './detector';
import { createLogger, logTo, withCorrelation } from './log';
import { DetectorMetrics, loadMetricsConfig } from './metrics';

const logger = createLogger(process.env);
const deps = fromEnv(process.env, logTo(logger));
const metrics = new DetectorMetrics(loadMetricsConfig(process.env));

// The detector counts into `metrics` as it works; wrap publishes the counts once per invocation.
export const handler = withCorrelation(
  logger,
  metrics.wrap(createHandler({ ...deps, counters: metrics })),
);
