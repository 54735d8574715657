import type { Thresholds } from './config';

export type AnomalyKind = 'COLD' | 'HOT';

/** COLD strictly below the cold threshold, HOT strictly above the hot one, otherwise normal. */
export function classify(temperatureF: number, thresholds: Thresholds): AnomalyKind | undefined {
  if (temperatureF < thresholds.coldBelowF) return 'COLD';
  if (temperatureF > thresholds.hotAboveF) return 'HOT';
  return undefined;
}
