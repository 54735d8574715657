import type { StackEvent } from '@aws-sdk/client-cloudformation';

/** When the tests' stack operations start; events are stamped 2 s later. */
export const START = Date.UTC(2026, 10, 21, 10);

/** A stack event of stack `app`, an in-progress update of its table unless `extra` says otherwise. */
export const event = (id: string, extra: Partial<StackEvent> = {}): StackEvent => ({
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1',
  StackName: 'app',
  EventId: id,
  Timestamp: new Date(START + 2000),
  LogicalResourceId: 'Table',
  ResourceType: 'AWS::DynamoDB::Table',
  ResourceStatus: 'UPDATE_IN_PROGRESS',
  ...extra,
});
