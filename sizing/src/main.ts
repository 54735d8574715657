import { repoRoot } from '../../local-pipeline/emulator/tools';
import { size } from './capacity';
import {
  parseSizeArgs,
  SIZE_USAGE,
  SizeUsageError,
  sizingReport,
  sizingTable,
} from './size-command';
import { deployedBatching } from './stack-defaults';

/** `npm run size -- --devices N [--rate R]` (and `--readme-table`, the README's table). */
function main(argv: readonly string[]): number {
  const batching = deployedBatching(repoRoot);
  if (argv.includes('--readme-table')) {
    process.stdout.write(`${sizingTable(batching)}\n`);
    return 0;
  }
  try {
    const request = parseSizeArgs(argv);
    process.stdout.write(
      `${request ? sizingReport(size(request.devices, request.rate, batching)) : SIZE_USAGE}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof SizeUsageError)) throw error;
    process.stderr.write(`npm run size: ${error.message}\nRun with --help for the usage.\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
