// Ranking puts the article about a topic above articles that mention it in
// passing: what the title and summary hold weighs more than body mentions, a
// title holding the words typed side by side is about them, and a title that
// holds every word typed is found even when the body does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleFixture, replicaHolding, type OpenReplica } from '../../knowledge-base/testing';

/** Words starting "dis" that several articles hold, so "dis" being typed stands for these in bodies. */
const commonDisWords = ['disability', 'discuss', 'display', 'distance', 'district', 'discount'];

const articles = [
  articleFixture({
    id: 'university-bursaries',
    title: 'University bursaries and hardship funds',
    summary: 'Money from universities that does not have to be paid back.',
    body: 'Each university sets its own bursary. A bursary fund may have a deadline.',
    topics: ['money', 'university'],
  }),
  articleFixture({
    id: 'bursary-fund',
    title: 'The 16 to 19 Bursary Fund: help with the costs of college',
    summary: 'Help with travel, meals and equipment for students aged 16 to 19.',
    body: 'Ask the college. Vulnerable students can get up to 1,200 pounds.',
    topics: ['money'],
  }),
  articleFixture({
    id: 'mental-health-charity',
    title: 'Mind: information and support',
    summary: 'A mental health charity with an information line and local services.',
    body: 'Call the information line or find a local service.',
    topics: ['support'],
    kind: 'service',
    contact: { phone: '0300 000 0000' },
  }),
  articleFixture({
    id: 'health-t-levels',
    title: 'T Levels in health and science',
    summary: 'Technical courses for jobs in the NHS and in laboratories.',
    body:
      'Placements can be on a mental health ward. Some students go on to mental health nursing. ' +
      'Mental health support workers also train this way, and mental health teams take students.',
    topics: ['qualifications'],
  }),
  articleFixture({
    id: 'beat',
    title: 'Beat: eating disorder support',
    summary: 'A charity helpline for young people and families.',
    body: 'Worried about eating? Call or chat online.',
    topics: ['support'],
    kind: 'service',
    contact: { phone: '0808 000 0000' },
  }),
  articleFixture({
    id: 'care-work',
    title: 'Care work careers',
    summary: 'Helping people with daily living, from eating to getting about.',
    body: `Carers support people with a disability at home. ${commonDisWords.join(' ')}.`,
    topics: ['careers'],
  }),
  ...Array.from({ length: 8 }, (_, index) =>
    articleFixture({
      id: `filler-${index}`,
      title: `Local information ${index}`,
      summary: 'Something else entirely for the filler articles of this test.',
      // In a few articles: more than "disorder", fewer than half, so "dis" still narrows bodies.
      body: index < 3 ? `${commonDisWords.join(' ')} in some fillers.` : 'Nothing to see.',
    }),
  ),
];

let desk: OpenReplica;

beforeAll(() => {
  desk = replicaHolding('knowledge-ranking', articles);
});

afterAll(() => {
  desk.close();
});

function ids(text: string): string[] {
  const outcome = desk.search.search({ text });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.value.results.map((hit) => hit.id);
}

describe('the article about a topic comes first', () => {
  it('when its title holds the words typed side by side ("Bursary Fund"), above a shorter title holding them apart', () => {
    expect(ids('bursary fund ')[0]).toBe('bursary-fund');
  });

  it('when its summary says it is about the topic, above an article whose body mentions it again and again', () => {
    expect(ids('mental health ')[0]).toBe('mental-health-charity');
  });

  it('when its title holds every word typed, even if the body lacks the commonest words the last one may become', () => {
    expect(ids('eating dis')[0]).toBe('beat');
  });
});
