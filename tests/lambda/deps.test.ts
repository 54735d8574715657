import { onFirstUse } from '../../lambda/src/deps';

class CountingClient {
  readonly region = 'us-east-1';
  sent: string[] = [];
  send(command: string): Promise<string> {
    this.sent.push(command);
    return Promise.resolve(`sent ${command}`);
  }
}

describe('onFirstUse (clients the common path does not need, built on first use)', () => {
  it('does not build the client until something of it is used', () => {
    const create = jest.fn(() => new CountingClient());

    onFirstUse(create);

    expect(create).not.toHaveBeenCalled();
  });

  it('builds it once and answers as the client itself, methods bound to it', async () => {
    const create = jest.fn(() => new CountingClient());
    const client = onFirstUse(create);

    const { send } = client;
    const answers = [await send('first'), await client.send('second')];

    expect(answers).toEqual(['sent first', 'sent second']);
    expect(client.sent).toEqual(['first', 'second']);
    expect(client.region).toBe('us-east-1');
    expect(create).toHaveBeenCalledTimes(1);
  });
});
