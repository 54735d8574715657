import { fromEnv } from './deps';
import { createHandler, type DetectorDeps } from './detector';
import { DetectorMetrics, loadMetricsConfig, type ExcursionCounters } from './metrics';

const deps = fromEnv();
const metrics = new DetectorMetrics(loadMetricsConfig(process.env), deps.config.thresholds);
// `counters` is how the detector counts what only it knows: excursions opened, closed, reminders.
const detectorDeps: DetectorDeps & { readonly counters: ExcursionCounters } = {
  ...deps,
  counters: metrics,
};

export const handler = metrics.wrap(createHandler(detectorDeps));
