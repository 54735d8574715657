import { AlertBudget } from './alert-budget';
import { DEFAULT_ALERT_MESSAGES_PER_MINUTE } from './config';
import type { DetectorDeps } from './deps';
import { DeviceStateStore } from './device-state';
import { DEFAULT_EXCURSION_SETTINGS, type ExcursionSettings } from './excursion';
import { AnomalyStore } from './store';

/** What every step of the act part shares for the life of the container. */
export interface Act {
  readonly deps: DetectorDeps;
  readonly settings: ExcursionSettings;
  readonly anomalies: AnomalyStore;
  readonly states: DeviceStateStore;
  readonly budget: AlertBudget;
  /** Outboxes SNS accepted but this container could not clear: never published twice from here. */
  readonly published: Set<string>;
}

export function createAct(deps: DetectorDeps): Act {
  return {
    deps,
    settings: deps.config.excursions ?? DEFAULT_EXCURSION_SETTINGS,
    anomalies: new AnomalyStore(deps.dynamo, deps.config.tableName, deps.sleep),
    states: new DeviceStateStore(deps.dynamo, deps.config.tableName),
    budget: new AlertBudget(
      deps.dynamo,
      deps.config.tableName,
      deps.config.alertMessagesPerMinute ?? DEFAULT_ALERT_MESSAGES_PER_MINUTE,
    ),
    published: new Set<string>(),
  };
}
