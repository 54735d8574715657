// The job summary and step outputs of a run, word for word: shared by summary.test.ts and
// summary-previews.test.ts.

export const RUN_LINE =
  'After 0s · commit `abcdef123456` · [run](https://github.com/o/r/actions/runs/1)';
const CHANGES_TABLE = [
  '| Action | Logical id | Type | Replacement | Scope |',
  '| --- | --- | --- | --- | --- |',
  '| Modify | Queue | AWS::SQS::Queue | ⚠️ **replaced** |  |',
].join('\n');
export const changeSet = (title: string) =>
  `### ${title} for stack \`app\` (update)\n\n1 resource change(s), **1 replacement(s)**.\n\n${CHANGES_TABLE}`;
export const OUTPUTS =
  '### Stack outputs (also step outputs)\n\n| Output | Value |\n| --- | --- |\n| QueueUrl | https://queue |\n';
export const STACK_OUTPUTS = {
  'stack-id': 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1',
  QueueUrl: 'https://queue',
};
