// Group commit for the chat's writes: what arrives while a batch is being
// written goes in the next, each write is answered from its own batch, and
// one key (a chat) never appears twice in a batch.
import { describe, expect, it } from 'vitest';
import { WriteBatches } from '../../server/chat/write-batches';

interface Write {
  chat: string;
  n: number;
}

function recording() {
  const batches: Write[][] = [];
  const finish: (() => void)[] = [];
  const failing = new Set<number>();
  const batcher = new WriteBatches<Write, string>(
    (inputs) => {
      batches.push(inputs);
      const index = batches.length - 1;
      return new Promise((resolve, reject) => {
        finish[index] = () =>
          failing.has(index)
            ? reject(new Error(`batch ${index} failed`))
            : resolve(inputs.map((input) => `${input.chat}:${input.n}`));
      });
    },
    (input) => input.chat,
    3,
  );
  const settle = async (index: number) => {
    await expect.poll(() => finish[index]).toBeDefined();
    finish[index]?.();
  };
  return { batcher, batches, settle, failing };
}

describe('chat write batches', () => {
  it('sends the first write at once and gathers the rest while it is written', async () => {
    const { batcher, batches, settle } = recording();
    const first = batcher.run({ chat: 'a', n: 1 });
    expect(batches).toEqual([[{ chat: 'a', n: 1 }]]);
    const later = [batcher.run({ chat: 'b', n: 2 }), batcher.run({ chat: 'c', n: 3 })];
    await settle(0);
    expect(await first).toBe('a:1');
    await settle(1);
    expect(await Promise.all(later)).toEqual(['b:2', 'c:3']);
    expect(batches.map((batch) => batch.map((write) => write.n))).toEqual([[1], [2, 3]]);
  });

  it('keeps a chat to one write per batch, in order, and no batch over its size', async () => {
    const { batcher, batches, settle } = recording();
    const answers = [
      batcher.run({ chat: 'a', n: 1 }),
      batcher.run({ chat: 'a', n: 2 }),
      batcher.run({ chat: 'b', n: 3 }),
      batcher.run({ chat: 'a', n: 4 }),
      batcher.run({ chat: 'c', n: 5 }),
      batcher.run({ chat: 'd', n: 6 }),
      batcher.run({ chat: 'e', n: 7 }),
    ];
    for (let index = 0; index < 3; index += 1) await settle(index);
    expect(await Promise.all(answers)).toEqual(['a:1', 'a:2', 'b:3', 'a:4', 'c:5', 'd:6', 'e:7']);
    expect(batches.map((batch) => batch.map((write) => write.n))).toEqual([
      [1],
      [2, 3, 5],
      [4, 6, 7],
    ]);
  });

  it('refuses only the writes of a batch that failed, and goes on with the next', async () => {
    const { batcher, settle, failing } = recording();
    failing.add(1);
    const first = batcher.run({ chat: 'a', n: 1 });
    const failed = batcher.run({ chat: 'b', n: 2 });
    await settle(0);
    await settle(1);
    await expect(failed).rejects.toThrow('batch 1 failed');
    const after = batcher.run({ chat: 'c', n: 3 });
    await settle(2);
    expect([await first, await after]).toEqual(['a:1', 'c:3']);
  });
});
