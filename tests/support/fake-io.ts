import type { ActionIO, AnnotationProperties } from '../../actions/shared/io';

/** An in-memory ActionIO: inputs from a map, everything the action says recorded. */
export interface FakeIO extends ActionIO {
  readonly outputs: Record<string, string>;
  readonly failures: string[];
  readonly annotations: {
    level: 'error' | 'warning' | 'notice';
    message: string;
    properties: AnnotationProperties | undefined;
  }[];
  readonly logs: string[];
  readonly summaryText: () => string;
}

export function fakeIO(inputs: Record<string, string> = {}): FakeIO {
  const outputs: Record<string, string> = {};
  const failures: string[] = [];
  const annotations: FakeIO['annotations'] = [];
  const logs: string[] = [];
  let summary = '';
  const annotate =
    (level: 'error' | 'warning' | 'notice') =>
    (message: string | Error, properties?: AnnotationProperties) => {
      annotations.push({
        level,
        message: message instanceof Error ? message.message : message,
        properties,
      });
    };
  const io: FakeIO = {
    getInput: (name: string) => inputs[name] ?? '',
    setOutput: (name: string, value: unknown) => {
      outputs[name] = String(value);
    },
    setFailed: (message: string | Error) => {
      failures.push(message instanceof Error ? message.message : message);
    },
    info: (message: string) => logs.push(message),
    debug: (message: string) => logs.push(`debug: ${message}`),
    warning: annotate('warning'),
    error: annotate('error'),
    notice: annotate('notice'),
    group: async <T>(name: string, body: () => Promise<T>): Promise<T> => {
      logs.push(`group: ${name}`);
      return body();
    },
    setSecret: () => undefined,
    summary: {
      addRaw(text: string) {
        summary += text;
        return this as never;
      },
      write() {
        return Promise.resolve(this as never);
      },
    },
    outputs,
    failures,
    annotations,
    logs,
    summaryText: () => summary,
  };
  return io;
}
