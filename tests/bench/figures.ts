import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../local-pipeline/emulator/tools';

/** One line of the table: a value, the baseline measured in the same run, and its target. */
export interface Figure {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly baseline: number | undefined;
  readonly baselineName: string;
  /** value ÷ baseline, or baseline ÷ value when smaller is better (so bigger is always better). */
  readonly ratio: number | undefined;
  readonly target: string;
  /** undefined: informational, no target (e.g. a figure the emulator bounds). */
  readonly met: boolean | undefined;
  /** What a reader needs to read the value (how it was measured, what bounds it). */
  readonly note?: string;
  /** Extra measurements behind the value (breakdowns, both samples), for bench-results.json. */
  readonly details?: Record<string, unknown>;
}

const figures: Figure[] = [];
export const log = (line: string) => process.stderr.write(`${line}\n`);

export const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export const round = (value: number) =>
  Math.abs(value) >= 100
    ? Math.round(value)
    : Math.abs(value) >= 0.1
      ? Math.round(value * 100) / 100
      : Number(value.toPrecision(2));

const verdict = (met: boolean | undefined) => (met === undefined ? 'info' : met ? 'met' : 'MISSED');

export function record(figure: Figure): void {
  figures.push(figure);
  const baseline = figure.baseline === undefined ? '' : ` (baseline ${round(figure.baseline)})`;
  log(`  ${verdict(figure.met)}: ${figure.name}: ${round(figure.value)} ${figure.unit}${baseline}`);
}

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly date: string;
  readonly loadAverage?: number[];
}

export function machine(): Machine {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '?',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    date: new Date().toISOString(),
  };
}

/** Prints the table with the machine, Node version and date, and writes bench-results.json. */
export function report(context: Machine & Record<string, unknown>): void {
  const header = ['Figure', 'Value', 'Baseline', 'Ratio', 'Target', ''];
  const rows = figures.map((figure) => [
    figure.name,
    `${round(figure.value)} ${figure.unit}`,
    figure.baseline === undefined ? '—' : `${round(figure.baseline)} (${figure.baselineName})`,
    figure.ratio === undefined ? '—' : `${round(figure.ratio)}×`,
    figure.target,
    verdict(figure.met),
  ]);
  const widths = header.map((_, i) =>
    Math.max(header[i]!.length, ...rows.map((row) => row[i]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const notes = figures
    .filter((figure) => figure.note)
    .map((figure) => `- ${figure.name}: ${figure.note ?? ''}`);
  process.stdout.write(
    [
      '',
      `Machine: ${context.cpus} × ${context.cpuModel}, ${context.memoryGb} GB, Node ${context.node}, ${context.date}`,
      '',
      line(header),
      widths.map((w) => '-'.repeat(w)).join('  '),
      ...rows.map(line),
      '',
      ...notes,
      '',
      'Written to bench-results.json.',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(repoRoot, 'bench-results.json'),
    `${JSON.stringify({ machine: context, figures }, null, 2)}\n`,
  );
}
