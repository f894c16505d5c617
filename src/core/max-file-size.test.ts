import { describe, expect, it } from 'vitest';
import { MaxFileSizeMissHandler, ResponseTooLargeError } from './max-file-size.ts';
import { NoCacheReason } from './phase.ts';
import { FakeStorage, testKey, testMeta } from './testing/fakes.ts';

const bytes = (n: number): Uint8Array => new Uint8Array(n).fill(97);

async function setup(max: number) {
  const storage = new FakeStorage();
  const key = testKey();
  const inner = await storage.getMissHandler(key, testMeta());
  return { storage, key, inner, handler: new MaxFileSizeMissHandler(inner, max) };
}

describe('MaxFileSizeMissHandler', () => {
  it('passes writes up to exactly the limit through and finishes with the size', async () => {
    const { storage, key, handler } = await setup(10);
    await handler.write(bytes(4));
    await handler.write(bytes(6));
    expect(await handler.finish()).toBe(10);
    expect(handler.exceeded).toBe(false);
    expect(storage.stored(key)?.body).toBe('a'.repeat(10));
  });

  it('refuses the chunk that crosses the limit with ResponseTooLarge, without writing it', async () => {
    const { storage, key, handler } = await setup(10);
    await handler.write(bytes(8));
    const error = await handler.write(bytes(3)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({
      reason: NoCacheReason.ResponseTooLarge,
      maxFileSizeBytes: 10,
      attemptedBytes: 11,
    });
    expect(handler.exceeded).toBe(true);
    // The refused chunk never reached storage, and the partial body is not visible.
    expect(storage.stored(key)).toBeUndefined();
  });

  it('keeps refusing after an overflow, even chunks that would fit, and never finishes', async () => {
    const { storage, key, handler } = await setup(10);
    await expect(handler.write(bytes(11))).rejects.toBeInstanceOf(ResponseTooLargeError);
    await expect(handler.write(bytes(1))).rejects.toBeInstanceOf(ResponseTooLargeError);
    await expect(handler.finish()).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(storage.stored(key)).toBeUndefined();
  });

  it('accepts an empty body with a zero limit', async () => {
    const { handler } = await setup(0);
    await handler.write(bytes(0));
    expect(await handler.finish()).toBe(0);
  });

  it('forwards abort', async () => {
    const { storage, handler } = await setup(10);
    await handler.abort('stop');
    expect(storage.missHandlers[0]?.abortCount).toBe(1);
  });
});
