import { decide } from './proof';
import { stackRoleCases } from './stack-role-cases';
import { loadStacks, type Principal } from './stacks';

// The roles the stack creates (their requests: stack-role-cases.ts).
const stacks = loadStacks();
const cases = stackRoleCases(stacks);

describe.each(cases)('$role', ({ role, allowed, denied }) => {
  const principal = (): Principal => stacks.stackRoles[role]!;

  it('carries the permissions boundary of the bootstrap', () => {
    expect(principal().boundary).toBe(stacks.boundary);
  });

  it.each(allowed)('allows %s', async (_label, request) => {
    expect(await decide(stacks, principal(), request)).toBe('Allowed');
  });

  it.each(denied)('denies %s', async (_label, request) => {
    expect(await decide(stacks, principal(), request)).not.toBe('Allowed');
  });
});

it('every role of the stack is in the proof', () => {
  expect(Object.keys(stacks.stackRoles).sort()).toEqual(cases.map((one) => one.role).sort());
});
