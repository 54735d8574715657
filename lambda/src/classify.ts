export type AnomalyKind = 'COLD' | 'HOT';

export interface Thresholds {
  /** Readings strictly below this many °F are COLD. */
  readonly coldBelowF: number;
  /** Readings strictly above this many °F are HOT. */
  readonly hotAboveF: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { coldBelowF: 96, hotAboveF: 101 };

/** COLD strictly below the cold threshold, HOT strictly above the hot one, otherwise normal. */
export function classify(temperatureF: number, thresholds: Thresholds): AnomalyKind | undefined {
  if (temperatureF < thresholds.coldBelowF) return 'COLD';
  if (temperatureF > thresholds.hotAboveF) return 'HOT';
  return undefined;
}
