// Migration 0002: the knowledge replica (articles, both full-text indexes, the
// vocabulary and the sync cursor).
import { knowledgeStep } from './knowledge-step';

export const migration0002 = knowledgeStep(2, '0002-knowledge-replica', '0001-knowledge-replica');
