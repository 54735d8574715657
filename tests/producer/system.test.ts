import { EventEmitter, getEventListeners } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, stopOnSignals, unexpectedFailure, writeStatus } from '../../producer/src/system';

describe('stopOnSignals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('fires on %s and says so on stderr', (signal) => {
    const source = new EventEmitter();
    const lines: string[] = [];
    const stop = stopOnSignals(source, (line) => lines.push(line));
    expect(stop.aborted).toBe(false);
    source.emit(signal);
    expect(stop.aborted).toBe(true);
    expect(lines).toEqual([`producer: ${signal} received; sending what is held, then exiting`]);
  });

  it('listens once per signal, so a second one stops the process the default way', () => {
    const source = new EventEmitter();
    stopOnSignals(source, () => undefined);
    source.emit('SIGTERM');
    expect(source.listenerCount('SIGTERM')).toBe(0);
    expect(source.listenerCount('SIGINT')).toBe(1);
  });
});

describe('sleep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Whether the promise has settled once pending microtasks have run. */
  async function settled(promise: Promise<void>): Promise<boolean> {
    let done = false;
    void promise.then(() => (done = true));
    await Promise.resolve();
    await Promise.resolve();
    return done;
  }

  it('resolves after the time given, not before', async () => {
    const slept = sleep(1000);
    await jest.advanceTimersByTimeAsync(999);
    expect(await settled(slept)).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await settled(slept)).toBe(true);
  });

  it('resolves as soon as the signal fires, leaving no timer or listener behind', async () => {
    const stop = new AbortController();
    const slept = sleep(60_000, stop.signal);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
    stop.abort();
    expect(await settled(slept)).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('removes its listener when the time runs out', async () => {
    const stop = new AbortController();
    const slept = sleep(10, stop.signal);
    await jest.advanceTimersByTimeAsync(10);
    expect(await settled(slept)).toBe(true);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('does not wait at all once the signal has fired', async () => {
    const stop = new AbortController();
    stop.abort();
    const slept = sleep(60_000, stop.signal);
    expect(jest.getTimerCount()).toBe(0);
    expect(await settled(slept)).toBe(true);
  });
});

describe('writeStatus', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'producer-status-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replaces the file whole and leaves no temporary file behind', async () => {
    const path = join(dir, 'status.json');
    await writeFile(path, '{"old":true}');
    await writeStatus(path, '{"sent":3}\n');
    expect(await readFile(path, 'utf8')).toBe('{"sent":3}\n');
    expect(await readdir(dir)).toEqual(['status.json']);
  });
});

describe('unexpectedFailure', () => {
  it('shows the stack of an error, so the line in our code is in the log', () => {
    const error = new Error('socket hang up');
    expect(unexpectedFailure(error)).toBe(`producer: unexpected failure: ${error.stack}`);
  });

  it('falls back to the message of an error without a stack', () => {
    const error = new Error('socket hang up');
    delete error.stack;
    expect(unexpectedFailure(error)).toBe('producer: unexpected failure: socket hang up');
  });

  it('shows anything else thrown as text', () => {
    expect(unexpectedFailure(42)).toBe('producer: unexpected failure: 42');
  });
});
