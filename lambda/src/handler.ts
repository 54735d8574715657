import { fromEnv } from './deps';
import { createHandler, type DetectorDeps } from './detector';
import { DetectorMetrics, loadMetricsConfig } from './metrics';

const deps = fromEnv();
const metrics = new DetectorMetrics(loadMetricsConfig(process.env));
// The detector counts into `metrics` as it works; wrap publishes the counts once per invocation.
const detectorDeps: DetectorDeps = { ...deps, counters: metrics };

export const handler = metrics.wrap(createHandler(detectorDeps));
