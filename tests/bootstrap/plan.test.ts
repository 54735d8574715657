import type { Change, Stack } from '@aws-sdk/client-cloudformation';
import { outputsOf, planText } from '../../bootstrap/src/stack';

const NAME = 'anomaly-detection-qa-bootstrap';
const ADD: Change = {
  ResourceChange: {
    Action: 'Add',
    LogicalResourceId: 'DeployRole',
    ResourceType: 'AWS::IAM::Role',
  },
};
const stack = (extra: Partial<Stack> = {}): Stack => ({
  StackName: NAME,
  StackStatus: 'CREATE_COMPLETE',
  CreationTime: new Date(0),
  ...extra,
});

describe('npm run bootstrap: the plan as printed', () => {
  it('puts each change on one aligned line, replacements marked', () => {
    // Act
    const text = planText(NAME, 'UPDATE', [
      ADD,
      {
        ResourceChange: {
          Action: 'Modify',
          LogicalResourceId: 'ExecutionRole',
          ResourceType: 'AWS::IAM::Role',
          Replacement: 'True',
        },
      },
      { ResourceChange: { Action: 'Remove', Replacement: 'Conditional' } },
      {},
    ]);

    // Assess
    expect(text.split('\n')).toEqual([
      `Plan for stack ${NAME} (update): 4 resource change(s):`,
      '  Add      DeployRole                 AWS::IAM::Role',
      '  Modify   ExecutionRole              AWS::IAM::Role (replacement)',
      '  Remove   ?                          ',
      '  ?        ?                          ',
    ]);
  });

  it('says when a creation changes only parameters or outputs', () => {
    // Act
    const text = planText(NAME, 'CREATE', []);

    // Assess
    expect(text).toBe(
      `Plan for stack ${NAME} (create): 0 resource change(s) (parameters or outputs only)`,
    );
  });

  it('reads the outputs of a stack as a record', () => {
    // Act
    const outputs = [
      outputsOf(stack({ Outputs: [{ OutputKey: 'A', OutputValue: '1' }, {}] })),
      outputsOf(undefined),
      outputsOf(stack()),
    ];

    // Assess
    expect(outputs).toEqual([{ A: '1', '': '' }, {}, {}]);
  });
});
