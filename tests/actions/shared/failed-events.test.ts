import { lineOfLogicalId, reportFailedEvents } from '../../../actions/shared/failed-events';
import { fakeIO } from '../../support/fake-io';
import { event } from './stack-events';

// What a person sees of a failed stack operation: the annotations and the table of failed resources.

describe('failed resources', () => {
  const template = [
    '{',
    '  "Resources": {',
    '    "Queue.1": { "Type": "AWS::SQS::Queue" },',
    '    "Queue1": { "Type": "AWS::SQS::Queue" },',
    '    "Table" : {',
    '    }',
    '  }',
    '}',
  ].join('\n');

  it('annotates each failed resource (not the stack) on its template line and tables them', () => {
    const io = fakeIO();
    const report = reportFailedEvents(
      io,
      [
        event('1', {
          LogicalResourceId: 'Table',
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'limit | exceeded',
        }),
        event('2', { LogicalResourceId: 'Queue1', ResourceStatus: 'UPDATE_FAILED' }),
        event('3', {
          LogicalResourceId: 'Missing',
          ResourceType: undefined,
          ResourceStatus: 'DELETE_FAILED',
        }),
        event('4', { LogicalResourceId: 'app', ResourceStatus: 'UPDATE_ROLLBACK_FAILED' }),
        event('5', { LogicalResourceId: 'Queue.1', ResourceStatus: 'UPDATE_COMPLETE' }),
        event('6', { LogicalResourceId: undefined, ResourceStatus: 'CREATE_FAILED' }),
      ],
      { stackName: 'app', verb: 'deploy', template: { path: 'stack.json', body: template } },
    );
    expect(report.failed.map((e) => e.EventId)).toEqual(['1', '2', '3', '6']);
    expect(io.annotations).toEqual([
      {
        level: 'error',
        message: 'Table (AWS::DynamoDB::Table) CREATE_FAILED: limit | exceeded',
        properties: {
          title: 'CloudFormation could not deploy Table',
          file: 'stack.json',
          startLine: 5,
        },
      },
      {
        level: 'error',
        message: 'Queue1 (AWS::DynamoDB::Table) UPDATE_FAILED: no reason given',
        properties: {
          title: 'CloudFormation could not deploy Queue1',
          file: 'stack.json',
          startLine: 4,
        },
      },
      {
        level: 'error',
        message: 'Missing (?) DELETE_FAILED: no reason given',
        properties: { title: 'CloudFormation could not deploy Missing', file: 'stack.json' },
      },
      {
        level: 'error',
        message: '? (AWS::DynamoDB::Table) CREATE_FAILED: no reason given',
        properties: { title: 'CloudFormation could not deploy a resource', file: 'stack.json' },
      },
    ]);
    expect(report.markdown).toBe(
      [
        'The resources that failed, and why:',
        '',
        '| Logical id | Type | Status | Reason |',
        '| --- | --- | --- | --- |',
        '| Table | AWS::DynamoDB::Table | CREATE_FAILED | limit \\| exceeded |',
        '| Queue1 | AWS::DynamoDB::Table | UPDATE_FAILED |  |',
        '| Missing |  | DELETE_FAILED |  |',
        '|  | AWS::DynamoDB::Table | CREATE_FAILED |  |',
      ].join('\n'),
    );
  });

  it('annotates without a file when there is no template, and says when nothing failed', () => {
    const io = fakeIO();
    const report = reportFailedEvents(
      io,
      [event('1', { ResourceStatus: 'DELETE_FAILED', ResourceStatusReason: 'in use' })],
      { stackName: 'app', verb: 'delete' },
    );
    expect(io.annotations).toEqual([
      {
        level: 'error',
        message: 'Table (AWS::DynamoDB::Table) DELETE_FAILED: in use',
        properties: { title: 'CloudFormation could not delete Table' },
      },
    ]);
    expect(report.failed).toHaveLength(1);
    expect(
      reportFailedEvents(fakeIO(), [event('2')], { stackName: 'app', verb: 'x' }).markdown,
    ).toBe('CloudFormation reported no failed resource.');
  });

  it.each([
    ['Table', 'Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n', 2],
    ['Table', 'Resources:\n  TableX:\n    Type: X\n  Table :\n', 4],
    ['Table', 'Resources:\n  # Table: old\n', undefined],
    ['Table', 'x Table:\n', undefined],
    ['A.B', '{\n  "AxB": {},\n  "A.B": {}\n}', 3],
    ['A(1)', '  A(1):\n', 1],
  ])('finds %s declared on line %#', (logicalId, body, line) => {
    expect(lineOfLogicalId(body, logicalId)).toBe(line);
  });
});
