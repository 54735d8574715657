/**
 * Loads an entry file once, as starting the process does (argv `node <script> ...argv`, a fresh
 * module registry), with its run() replaced by `run` answering `outcome`; waits for the outcome
 * to settle and returns what the entry handed run().
 */
export async function startEntry<Deps>(
  run: jest.Mock<Promise<unknown>, [Deps]>,
  entry: { readonly script: string; readonly load: () => Promise<unknown> },
  outcome: Promise<unknown>,
  argv: readonly string[],
): Promise<Deps> {
  run.mockReturnValue(outcome);
  const saved = process.argv;
  process.argv = ['node', entry.script, ...argv];
  try {
    await jest.isolateModulesAsync(async () => {
      await entry.load();
    });
  } finally {
    process.argv = saved;
  }
  await outcome.catch(() => undefined);
  await new Promise((resolve) => setImmediate(resolve));
  return run.mock.calls[0]![0];
}
