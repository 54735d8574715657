import type { ActionIO } from '../../shared/io';

export interface CfnLintRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The cfn-lint executable was not found. */
  readonly missing: boolean;
}

export interface CfnLintDeps {
  readonly io: ActionIO;
  /** Absolute paths of the files a glob matches. */
  readonly expandGlob: (pattern: string) => Promise<string[]>;
  readonly isReadable: (path: string) => Promise<boolean>;
  readonly runCfnLint: (args: readonly string[]) => Promise<CfnLintRun>;
  readonly workspace: string;
}
