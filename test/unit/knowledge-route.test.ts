// The desk's Knowledge area is reached at #/knowledge, and only there.
import { describe, expect, it } from 'vitest';
import { isKnowledgeHash, knowledgeHash } from '../../renderer/src/knowledge/knowledge-route';

describe('the Knowledge area route', () => {
  it.each([knowledgeHash, '#/knowledge/', '#/knowledge?q=1', '#knowledge'])(
    '%s is the area',
    (hash) => {
      expect(isKnowledgeHash(hash)).toBe(true);
    },
  );

  it.each(['', '#/', '#/history', '#/knowledgeable', '#/quality/knowledge'])(
    '%s is not',
    (hash) => {
      expect(isKnowledgeHash(hash)).toBe(false);
    },
  );
});
