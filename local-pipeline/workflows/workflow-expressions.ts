import { data, Evaluator, Lexer, Parser } from '@actions/expressions';

/**
 * The workflow runner's `${{ }}` expressions, evaluated by GitHub's own evaluator
 * (@actions/expressions), with the status functions answering for the job so far (`failed`).
 */

export function evaluateMap(
  values: Record<string, string | number | boolean>,
  context: object,
  failed: boolean,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(values))
    result[key] = interpolate(String(value), context, failed);
  return result;
}

/** Replaces each `${{ expression }}` in a value with its evaluated string. */
export function interpolate(value: string, context: object, failed = false): string {
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_match, expression: string) =>
    evaluate(expression, context, failed).coerceString(),
  );
}

const STATUS_FUNCTIONS = (failed: boolean) => [
  {
    name: 'success',
    description: '',
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(!failed),
  },
  {
    name: 'failure',
    description: '',
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(failed),
  },
  {
    name: 'always',
    description: '',
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(true),
  },
  {
    name: 'cancelled',
    description: '',
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(false),
  },
];

function evaluate(expression: string, context: object, failed: boolean) {
  const source = expression
    .trim()
    .replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
    .trim();
  const { tokens } = new Lexer(source).lex();
  const functions = STATUS_FUNCTIONS(failed);
  const parsed = new Parser(tokens, Object.keys(context), functions).parse();
  return new Evaluator(
    parsed,
    toData(context) as data.Dictionary,
    functionMap(functions),
  ).evaluate();
}

function functionMap(functions: ReturnType<typeof STATUS_FUNCTIONS>) {
  return new Map(functions.map((fn) => [fn.name.toLowerCase(), fn]));
}

/** Whether an `if:` condition holds (the runner's truthiness of its value). */
export function conditionHolds(condition: string, context: object, failed: boolean): boolean {
  const value = evaluate(condition, context, failed);
  return (
    value.coerceString() !== '' && value.coerceString() !== 'false' && value.coerceString() !== '0'
  );
}

function toData(value: unknown): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toData));
  return new data.Dictionary(
    ...Object.entries(value as Record<string, unknown>).map(([key, item]) => ({
      key,
      value: toData(item),
    })),
  );
}
