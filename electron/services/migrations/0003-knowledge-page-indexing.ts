// Migration 0003: the knowledge replica indexes new articles a page at a time
// and its full index keeps no prefix tables, which makes a first sync of a
// large network about twice as fast. See docs/decisions/0009-knowledge-index-write-path.md.
import { knowledgeStep } from './knowledge-step';

export const migration0003 = knowledgeStep(
  3,
  '0003-knowledge-page-indexing',
  '0002-knowledge-page-indexing',
);
