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

/**
 * The default chance that a reading starts an excursion: at one reading a second, about four
 * excursions a day, as a person with a fever or a loose sensor might show, not a stream of alarms.
 */
export const DEFAULT_ANOMALY_RATE = 0.00005;

/** Readings an excursion lasts (half a minute to five at one reading a second). */
const EXCURSION_LENGTH = { min: 30, max: 300 } as const;
const FEVER_F = { min: 101.5, max: 104.5 } as const;
const COLD_F = { min: 92.5, max: 95.8 } as const;

/**
 * The shapes an excursion takes: a steady fever or chill, noise straddling the fever threshold
 * (a sensor reading 100.8–101.3 °F), and a fever that dips back to normal for a few readings.
 */
type Shape = 'fever' | 'chill' | 'threshold-noise' | 'dipping-fever';
const SHAPES: readonly Shape[] = ['fever', 'chill', 'threshold-noise', 'dipping-fever'];

interface Excursion {
  readonly shape: Shape;
  readonly target: number;
  readonly length: number;
  step: number;
}

/**
 * A plausible body-temperature series: a slow mean-reverting random walk around 98.2 °F
 * that stays within the normal band, with rare excursions of the shapes above. The same seed
 * gives the same temperatures.
 */
export class ReadingModel {
  private readonly random: () => number;
  private temperature = NORMAL_F;
  private excursion: Excursion | undefined;
  private lastTimestampMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deviceId: string,
    seed: number,
    private readonly anomalyRate: number = DEFAULT_ANOMALY_RATE,
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

  private startExcursion(): Excursion {
    const shape = SHAPES[Math.floor(this.random() * SHAPES.length)] ?? 'fever';
    const range = shape === 'chill' ? COLD_F : FEVER_F;
    const length =
      EXCURSION_LENGTH.min +
      Math.floor(this.random() * (EXCURSION_LENGTH.max - EXCURSION_LENGTH.min + 1));
    return { shape, target: range.min + this.random() * (range.max - range.min), length, step: 0 };
  }

  private excursionTemperature(excursion: Excursion): number {
    const noise = (this.random() - 0.5) * 0.4;
    switch (excursion.shape) {
      case 'threshold-noise':
        return 101.05 + noise * 1.25;
      case 'dipping-fever':
        // Every 60 readings, 5 readings back in the normal band.
        return excursion.step % 60 >= 55 ? this.temperature + noise : excursion.target + noise;
      default:
        return excursion.target + noise;
    }
  }

  private nextTemperature(): number {
    if (!this.excursion && this.random() < this.anomalyRate) this.excursion = this.startExcursion();
    if (this.excursion) {
      const value = this.excursionTemperature(this.excursion);
      this.excursion.step += 1;
      if (this.excursion.step >= this.excursion.length) this.excursion = undefined;
      return value;
    }
    const drift = (this.random() - 0.5) * 2 * STEP_F;
    this.temperature += drift + (NORMAL_F - this.temperature) * REVERSION;
    this.temperature = Math.min(99.8, Math.max(96.8, this.temperature));
    return this.temperature;
  }
}
