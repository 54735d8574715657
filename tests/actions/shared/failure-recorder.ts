/** What runAction tells the runner: the step's failure messages and its debug lines. */
export function failureRecorder() {
  const failures: string[] = [];
  const debug: string[] = [];
  return {
    failures,
    debug,
    io: {
      setFailed: (message: string | Error) =>
        void failures.push(message instanceof Error ? message.message : message),
      debug: (message: string) => void debug.push(message),
    },
  };
}
