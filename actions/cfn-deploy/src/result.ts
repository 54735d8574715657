import type { Stack } from '@aws-sdk/client-cloudformation';

/** What a run did, as the report step hands it on. */
export interface DeployResult {
  /** The stack as it now is (its id and Outputs become step outputs); undefined when none. */
  readonly stack: Stack | undefined;
  readonly status: string;
  readonly changed: boolean;
  /** The change set (or why there is none) as markdown: the `change-set` output. */
  readonly changeSet: string;
  /** The summary's heading: "✅ Stack app: UPDATE_COMPLETE". */
  readonly headline: string;
  /** Paragraphs of the summary under the heading. */
  readonly body: readonly string[];
  /** A change set left for review (create-only). */
  readonly reviewed?: { readonly id: string; readonly name: string };
  /** Set when the step must fail once everything is reported. */
  readonly failure?: string;
}
