import type * as core from '@actions/core';

/**
 * What an action's pure core may do with the runner: the parts of `@actions/core` it uses,
 * injected by `src/index.ts` (the only place that imports the ESM-only package).
 */
export type ActionIO = Pick<
  typeof core,
  | 'getInput'
  | 'setOutput'
  | 'setFailed'
  | 'info'
  | 'debug'
  | 'warning'
  | 'error'
  | 'notice'
  | 'group'
  | 'setSecret'
> & {
  readonly summary: Pick<typeof core.summary, 'addRaw' | 'write'>;
};

export type AnnotationProperties = core.AnnotationProperties;
