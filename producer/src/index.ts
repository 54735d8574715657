// Placeholder until the producer lands (issue 4): the bundle builds from real sources.
process.stderr.write('The reading producer is not implemented yet.\n');
process.exitCode = 1;
