/** A reading as it goes on the stream (the contract's Kinesis record). */
export interface Reading {
  readonly deviceId: string;
  readonly timestamp: string;
  readonly temperature: number;
  readonly unit: 'F';
}

/** mulberry32: tiny, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NORMAL_F = 98.2;
/** How strongly the walk is pulled back to normal each step (0..1). */
const REVERSION = 0.1;
const STEP_F = 0.15;
const EXCURSION_LENGTH = { min: 3, max: 8 } as const;
const FEVER_F = { min: 101.5, max: 104.5 } as const;
const COLD_F = { min: 92.5, max: 95.8 } as const;

/**
 * A plausible body-temperature series: a slow mean-reverting random walk around 98.2 °F
 * that stays within the normal band, with occasional cold or fever excursions lasting a few
 * readings. The same seed gives the same temperatures.
 */
export class ReadingModel {
  private readonly random: () => number;
  private temperature = NORMAL_F;
  private excursion: { target: number; remaining: number } | undefined;
  private lastTimestampMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deviceId: string,
    seed: number,
    private readonly anomalyRate: number,
  ) {
    this.random = seededRandom(seed);
  }

  /**
   * The next reading, stamped `timestampMs` or 1 ms after the previous one, whichever is later:
   * the table's key is (deviceId, timestamp), so two readings of a device never share an instant.
   */
  next(timestampMs: number): Reading {
    this.lastTimestampMs = Math.max(timestampMs, this.lastTimestampMs + 1);
    return {
      deviceId: this.deviceId,
      timestamp: new Date(this.lastTimestampMs).toISOString(),
      temperature: Math.round(this.nextTemperature() * 10) / 10,
      unit: 'F',
    };
  }

  private nextTemperature(): number {
    if (!this.excursion && this.random() < this.anomalyRate) {
      const fever = this.random() < 0.5;
      const range = fever ? FEVER_F : COLD_F;
      this.excursion = {
        target: range.min + this.random() * (range.max - range.min),
        remaining:
          EXCURSION_LENGTH.min +
          Math.floor(this.random() * (EXCURSION_LENGTH.max - EXCURSION_LENGTH.min + 1)),
      };
    }
    if (this.excursion) {
      this.excursion.remaining -= 1;
      const value = this.excursion.target + (this.random() - 0.5) * 0.4;
      if (this.excursion.remaining <= 0) this.excursion = undefined;
      return value;
    }
    const drift = (this.random() - 0.5) * 2 * STEP_F;
    this.temperature += drift + (NORMAL_F - this.temperature) * REVERSION;
    this.temperature = Math.min(99.8, Math.max(96.8, this.temperature));
    return this.temperature;
  }
}
