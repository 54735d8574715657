import { sdkCallsReachable, type EntryFunction } from './call-graph';
import type { SdkCall } from './sdk-commands';

/**
 * What the pull-request preview sends: the SDK calls reachable from cfn-deploy's preview path
 * (execute: false), found by a call graph of its code (call-graph.ts), not listed by hand.
 */

/** The preview's run: its inputs, its own path (preview.ts) and its report. */
export const PREVIEW_ENTRIES: readonly EntryFunction[] = [
  { file: 'actions/cfn-deploy/src/inputs.ts', name: 'getInputs' },
  { file: 'actions/cfn-deploy/src/preview.ts', name: 'preview' },
  { file: 'actions/cfn-deploy/src/report.ts', name: 'report' },
];

/**
 * Calls the preview's code reaches only with an input the preview job (pr.yml) does not give, so
 * the preview role is not allowed them (preview-requests.test.ts checks the job still omits it).
 */
export const ONLY_WITH_AN_INPUT_THE_PREVIEW_OMITS: Readonly<Record<string, string>> = {
  's3:HeadObject': 's3-bucket: a template over the inline limit is uploaded first',
  's3:PutObject': 's3-bucket: a template over the inline limit is uploaded first',
};

let fromTheCode: SdkCall[] | undefined;

/** The preview's calls, from the code as it is, or with some files' text replaced. */
export function previewCalls(overrides?: Readonly<Record<string, string>>): SdkCall[] {
  const derive = () =>
    sdkCallsReachable(PREVIEW_ENTRIES, {
      folder: 'actions/cfn-deploy/src',
      ...(overrides ? { overrides } : {}),
    });
  if (overrides) return derive();
  fromTheCode ??= derive();
  return fromTheCode;
}
