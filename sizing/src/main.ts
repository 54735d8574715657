import { size } from './size';
import {
  parseSizeArgs,
  SIZE_USAGE,
  SizeUsageError,
  sizingReport,
  sizingTable,
} from './size-command';

/** `npm run size -- --devices N [--rate R]` (and `--readme-table`, the README's table). */
function main(argv: readonly string[]): number {
  if (argv.includes('--readme-table')) {
    process.stdout.write(`${sizingTable()}\n`);
    return 0;
  }
  try {
    const request = parseSizeArgs(argv);
    process.stdout.write(
      `${request ? sizingReport(size(request.devices, request.rate)) : SIZE_USAGE}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof SizeUsageError)) throw error;
    process.stderr.write(`npm run size: ${error.message}\nRun with --help for the usage.\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
