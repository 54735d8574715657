import { parseArgs } from 'node:util';
import { DEFAULT_ENVIRONMENTS } from '../bootstrap/src/environments';

// The flags of `npm run local`, read and checked before anything starts (a bad one exits 2).

export const USAGE = `Usage: npm run local -- [options]

Runs the whole pipeline against a local AWS emulator (moto) and prints a report.

Options:
  --environments LIST  the environments deploy.yml promotes through, comma-separated, in its
                       order (default staging,production; production alone is the single-stack run)
  --readings N         readings the producer sends into each environment, of all devices together
                       (default 2000)
  --devices N          devices the producer streams, 1-500 (default 1)
  --drift              change two properties behind production's back, then report and revert
  --keep               skip the teardown workflow at the end (the emulator still stops with the run)
  --json               print the report as JSON (for scripts) instead of text
  -h, --help           show this help`;

export interface Options {
  readonly environments: readonly string[];
  readonly readings: number;
  readonly devices: number;
  readonly keep: boolean;
  readonly json: boolean;
  readonly drift: boolean;
}

export function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      environments: { type: 'string' },
      readings: { type: 'string' },
      devices: { type: 'string' },
      keep: { type: 'boolean' },
      json: { type: 'boolean' },
      drift: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const readings = values.readings === undefined ? 2000 : Number(values.readings);
  if (!Number.isSafeInteger(readings) || readings < 1 || readings > 1_000_000) {
    throw new Error(
      `--readings "${values.readings ?? ''}" must be a whole number from 1 to 1000000`,
    );
  }
  return {
    environments: parseEnvironments(values.environments),
    readings,
    devices: parseDevices(values.devices),
    keep: values.keep === true,
    json: values.json === true,
    drift: values.drift === true,
  };
}

/** The chart has a row per device: a few hundred still read; the producer takes 100,000. */
function parseDevices(value: string | undefined): number {
  const devices = value === undefined ? 1 : Number(value);
  if (!/^\d+$/.test(value ?? '1') || devices < 1 || devices > 500) {
    throw new Error(`--devices "${value ?? ''}" must be a whole number from 1 to 500`);
  }
  return devices;
}

/** deploy.yml's environments, in its order: a non-empty part of it, each named once. */
function parseEnvironments(value: string | undefined): readonly string[] {
  if (value === undefined) return DEFAULT_ENVIRONMENTS;
  const named = value.split(',').map((name) => name.trim());
  const known = DEFAULT_ENVIRONMENTS.join(', ');
  const unknown = named.find((name) => !DEFAULT_ENVIRONMENTS.includes(name));
  if (unknown !== undefined)
    throw new Error(
      `--environments "${value}": ${unknown === '' ? 'an empty name' : `"${unknown}"`} is not one of deploy.yml's environments (${known})`,
    );
  if (new Set(named).size !== named.length)
    throw new Error(`--environments "${value}" names an environment twice`);
  const ordered = DEFAULT_ENVIRONMENTS.filter((name) => named.includes(name));
  if (ordered.join() !== named.join())
    throw new Error(`--environments "${value}" must follow deploy.yml's order (${known})`);
  return ordered;
}
