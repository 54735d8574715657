// `npm run local`: the whole pipeline against the local emulator. Not built yet.
console.error(
  'npm run local: not yet — the local pipeline run is still being built (see issue 8).',
);
process.exit(1);
