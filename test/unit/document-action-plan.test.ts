// The customer's skills action plan: plain words, the right sections, a
// follow-up date in UK time, and HTML that cannot be broken by what was typed.
import { describe, expect, it } from 'vitest';
import { composeActionPlan, escapeHtml } from '../../shared/documents/action-plan';
import {
  transcriptDocumentFor,
  transcriptRequestFor,
  transcriptRequestSchema,
} from '../../shared/documents/transcript';
import { toInteractionRecord } from '../../shared/interaction/machine';
import type { InteractionRecord } from '../../shared/interaction/record';
import { ContactScript, type ScriptedEvent } from '../../shared/interaction/script';
import { stageIds } from '../../shared/interaction/taxonomy';

const interactionId = '6f1d7a3e-2b4c-4d5e-8f90-123456789abc';

function completedRecord(...work: ScriptedEvent[]): InteractionRecord {
  const call = new ContactScript('2025-03-03T10:00:00.000Z').send(
    { type: 'OFFERED', interactionId, channel: 'voice', contactRef: 'call-1' },
    { type: 'ANSWER' },
    ...work,
    { type: 'END_CALL' },
    ...stageIds.map((stage): ScriptedEvent => ({
      type: 'MARK_NOT_COVERED',
      stage,
      reason: 'Not needed for the test',
    })),
    { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
    { type: 'COMPLETE' },
  );
  const result = toInteractionRecord(call.snapshot, {
    adviserId: 'demo-adviser',
    deskId: '11111111-2222-4333-8444-555555555555',
    journal: call.journal,
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value.record;
}

describe('the skills action plan', () => {
  const record = completedRecord(
    { type: 'UPDATE_CALLER', callerType: 'young_person', age: 15, withinRemit: true },
    { type: 'UPDATE_STARTING_POINT', status: 'school', schoolYear: 10, goals: 'Work with animals' },
    {
      type: 'UPDATE_MAIN_POINTS',
      text: 'Routes into animal care: college courses and apprenticeships.',
    },
    { type: 'IDENTIFY_BARRIER', kind: 'transport' },
    {
      type: 'UPDATE_BARRIER',
      kind: 'transport',
      agreed: 'Ask the college about a bus pass',
      referral: null,
    },
    {
      type: 'ADD_ACTION',
      action: {
        id: 'a1',
        description: 'Look at two college open days',
        owner: 'customer',
        due: '2025-03-21',
      },
    },
    {
      type: 'ADD_ACTION',
      action: {
        id: 'a2',
        description: 'Send the apprenticeship list',
        owner: 'adviser',
        due: null,
      },
    },
    { type: 'POINT_TO_ARTICLE', articleId: 'animal-care-careers' },
    { type: 'POINT_TO_SERVICE', service: 'Find an apprenticeship' },
    {
      type: 'BOOK_FOLLOW_UP',
      bookingId: '0b7c1e8a-9d2f-4e3a-8b1c-abcdefabcdef',
      slotStart: '2025-04-07T16:00:00.000Z',
      contactMethod: 'phone',
      contactAddress: '07700 900123',
      consentRecorded: true,
    },
    { type: 'CHOOSE_TRANSCRIPT', decision: 'send', via: 'email', address: 'sam@example.com' },
  );

  it('says what we talked about, what each side will do, the links and the follow-up date', () => {
    const plan = composeActionPlan(record, {
      describeArticle: (id) => ({
        title: 'Careers with animals',
        url: `https://help.example/articles/${id}`,
      }),
    });
    expect(plan.subject).toBe('Your skills action plan from the careers helpline');
    expect(plan.text).toContain('thank you for talking to us on Monday 3 March 2025');
    expect(plan.text).toContain('Your ideas and goals: Work with animals');
    expect(plan.text).toContain('* Transport: Ask the college about a bus pass');
    expect(plan.text).toContain(
      'What you are going to do\n------------------------\n* Look at two college open days (by Friday 21 March 2025)',
    );
    expect(plan.text).toContain('What we are going to do');
    expect(plan.text).toContain(
      '* Careers with animals (https://help.example/articles/animal-care-careers)',
    );
    expect(plan.text).toContain('* Find an apprenticeship');
    // 16:00 UTC on 7 April is 5pm BST.
    expect(plan.text).toContain('We will call you on Monday 7 April 2025 at 5:00pm');
    expect(plan.html).toContain(
      '<a href="https://help.example/articles/animal-care-careers">Careers with animals</a>',
    );
  });

  it('leaves out adviser notes and safeguarding records', () => {
    const withNotes = completedRecord(
      { type: 'NOTE', stage: 'barriers', text: 'PRIVATE adviser note' },
      { type: 'UPDATE_MAIN_POINTS', text: 'Talked about options' },
    );
    expect(composeActionPlan(withNotes).text).not.toContain('PRIVATE');
  });

  it('escapes every piece of typed text in the HTML', () => {
    const hostile = completedRecord(
      { type: 'UPDATE_STARTING_POINT', status: 'neet', goals: '<script>alert("x")</script>' },
      { type: 'UPDATE_MAIN_POINTS', text: 'Fish & chips <b>bold</b>' },
      {
        type: 'ADD_ACTION',
        action: {
          id: 'a1',
          description: '<img src=x onerror=alert(1)>',
          owner: 'customer',
          due: null,
        },
      },
      { type: 'POINT_TO_SERVICE', service: '"quoted" & \'single\'' },
      { type: 'POINT_TO_ARTICLE', articleId: 'javascript-link' },
    );
    const plan = composeActionPlan(hostile, {
      describeArticle: () => ({ title: '<i>title</i>', url: 'javascript:alert(1)' }),
      chatMessages: [
        { from: 'customer', text: '</li><li>injected', at: '2025-03-03T10:01:00.000Z' },
      ],
    });
    expect(plan.html).not.toMatch(/<script|<img|<b>|<i>|<\/li><li>injected|javascript:/);
    expect(plan.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(plan.html).toContain('Fish &amp; chips &lt;b&gt;bold&lt;/b&gt;');
    expect(plan.html).toContain('&quot;quoted&quot; &amp; &#39;single&#39;');
    expect(plan.text).toContain('<script>alert("x")</script>');
  });

  it('carries the chat for a web chat', () => {
    const plan = composeActionPlan(record, {
      chatMessages: [
        { from: 'customer', text: 'Hi, I like animals', at: '2025-03-03T10:01:00.000Z' },
        { from: 'adviser', text: 'Great, let us look at options', at: '2025-03-03T10:02:00.000Z' },
      ],
    });
    expect(plan.text).toContain('Your chat with us');
    expect(plan.text).toContain('* You (10:01am): Hi, I like animals');
    expect(plan.text).toContain('* Adviser (10:02am): Great, let us look at options');
  });

  it('tells an out-of-remit caller where we suggested they go', () => {
    const plan = composeActionPlan(
      completedRecord(
        { type: 'UPDATE_CALLER', callerType: 'young_person', age: 24, withinRemit: false },
        { type: 'SIGNPOST', to: 'The adult careers service' },
      ),
    );
    expect(plan.text).toContain('we suggested: The adult careers service');
  });
});

describe('articles and links in the plan, as the young person was shown them', () => {
  const astronaut = {
    title: 'Astronaut and careers in the UK space sector',
    url: 'https://nationalcareers.service.gov.uk/job-profiles/astronaut',
  };
  const planned = completedRecord(
    {
      type: 'POINT_TO_ARTICLE',
      articleId: 'astronaut-and-uk-space-sector',
      shown: astronaut,
    },
    { type: 'POINT_TO_SERVICE', service: 'Space Careers UK' },
  );

  it('lists an article by its title with its public link, never by its id', () => {
    const plan = composeActionPlan(planned);
    expect(plan.text).toContain(
      '* Astronaut and careers in the UK space sector (https://nationalcareers.service.gov.uk/job-profiles/astronaut)',
    );
    expect(plan.html).toContain(
      '<a href="https://nationalcareers.service.gov.uk/job-profiles/astronaut">Astronaut and careers in the UK space sector</a>',
    );
    for (const document of [plan.text, plan.html]) {
      expect(document).not.toContain('astronaut-and-uk-space-sector');
    }
  });

  it('keeps what was shown when the article changes or is retired later', () => {
    // The server's copy says something else now: the record's copy wins.
    const plan = composeActionPlan(planned, {
      describeArticle: () => ({ title: 'Renamed since', url: 'https://www.example.org/moved' }),
    });
    expect(plan.text).toContain(astronaut.title);
    expect(plan.text).not.toContain('Renamed since');
    expect(plan.text).not.toContain('example.org/moved');
  });

  it('describes an article the record holds only by id from the server, and leaves it out otherwise', () => {
    const older = completedRecord({ type: 'POINT_TO_ARTICLE', articleId: 'bursary-fund-16-to-19' });
    expect(older.summary.nextSteps.articleLinks).toBeUndefined();
    const described = composeActionPlan(older, {
      describeArticle: (id) =>
        id === 'bursary-fund-16-to-19'
          ? { title: 'The 16 to 19 Bursary Fund', url: 'https://www.gov.uk/1619-bursary-fund' }
          : null,
    });
    expect(described.text).toContain(
      '* The 16 to 19 Bursary Fund (https://www.gov.uk/1619-bursary-fund)',
    );
    const undescribed = composeActionPlan(older);
    expect(undescribed.text).not.toContain('bursary-fund-16-to-19');
    expect(undescribed.text).not.toContain('Useful links');
  });

  it('lists every link the adviser sent in the chat, once, and only links that pass the check', () => {
    const plan = composeActionPlan(planned, {
      chatMessages: [
        {
          from: 'customer',
          text: 'Is https://www.customer-found.example/ any good?',
          at: '2025-03-03T10:01:00.000Z',
        },
        {
          from: 'adviser',
          text: 'Funding for HGV training: https://www.gov.uk/hgv-funding',
          at: '2025-03-03T10:02:00.000Z',
        },
        {
          from: 'adviser',
          text: `${astronaut.title}: ${astronaut.url}`,
          at: '2025-03-03T10:03:00.000Z',
        },
        {
          from: 'adviser',
          text: 'Also https://www.ucas.com/ but not https://192.168.1.1/admin or http://insecure.example/',
          at: '2025-03-03T10:04:00.000Z',
        },
      ],
    });
    const useful = plan.text.slice(
      plan.text.indexOf('Useful links'),
      plan.text.indexOf('Your follow-up'),
    );
    expect(useful.split('\n').filter((line) => line.startsWith('* '))).toEqual([
      `* ${astronaut.title} (${astronaut.url})`,
      '* Funding for HGV training (https://www.gov.uk/hgv-funding)',
      '* https://www.ucas.com/ (https://www.ucas.com/)',
      '* Space Careers UK',
    ]);
    expect(plan.html).toContain(
      '<a href="https://www.gov.uk/hgv-funding">Funding for HGV training</a>',
    );
    expect(plan.html).not.toContain('href="https://192.168.1.1');
    expect(plan.html).not.toContain('href="http://insecure');
    expect(plan.html).not.toContain('href="https://www.customer-found');
  });

  it('writes no link that fails the desk’s check, whatever the record holds', () => {
    const hostile = completedRecord(
      {
        type: 'POINT_TO_ARTICLE',
        articleId: 'a',
        shown: { title: 'Looks fine', url: 'https://localhost/steal' },
      },
      {
        type: 'POINT_TO_ARTICLE',
        articleId: 'b',
        shown: { title: 'Sneaky', url: 'javascript:alert(1)' },
      },
    );
    const plan = composeActionPlan(hostile);
    expect(plan.html).toContain('<li>Looks fine</li>');
    expect(plan.html).toContain('<li>Sneaky</li>');
    expect(plan.html).not.toMatch(/href=|localhost|javascript:/);
    expect(plan.text).not.toMatch(/localhost|javascript:/);
  });

  it('carries a web chat’s sent links into the transcript’s useful links', () => {
    const record = completedRecord({
      type: 'CHOOSE_TRANSCRIPT',
      decision: 'send',
      via: 'email',
      address: 'sam@example.org',
    });
    record.summary.chat = [
      {
        seq: 1,
        from: 'adviser',
        text: 'Vet job profile: https://nationalcareers.service.gov.uk/job-profiles/vet',
        at: '2025-03-03T10:02:00.000Z',
      },
    ];
    const document = transcriptDocumentFor(record);
    expect(document.text).toContain(
      'Useful links\n------------\n* Vet job profile (https://nationalcareers.service.gov.uk/job-profiles/vet)',
    );
  });
});

describe('the transcript request', () => {
  it('is made only when the customer chose to receive one, and passes its outbox schema', () => {
    const sent = completedRecord({
      type: 'CHOOSE_TRANSCRIPT',
      decision: 'send',
      via: 'text',
      address: '07700 900123',
    });
    const request = transcriptRequestFor(sent);
    // Only the interaction and the address travel: the server composes the document.
    expect(request).toEqual({ interactionId, via: 'text', address: '07700 900123' });
    // Parsed on the way out, the number comes out as the server will send to it.
    expect(transcriptRequestSchema.parse(request)).toEqual({
      interactionId,
      via: 'text',
      address: '+447700900123',
    });

    const declined = completedRecord({
      type: 'CHOOSE_TRANSCRIPT',
      decision: 'declined',
      via: null,
      address: null,
    });
    expect(transcriptRequestFor(declined)).toBeNull();
  });

  it('carries a web chat as both parties saw it, with its markup escaped in the HTML', () => {
    const record = completedRecord({
      type: 'CHOOSE_TRANSCRIPT',
      decision: 'send',
      via: 'email',
      address: 'sam@example.org',
    });
    record.summary.chat = [
      { seq: 1, from: 'customer', text: 'Can I do vet science?', at: '2025-03-03T10:01:00.000Z' },
      {
        seq: 2,
        from: 'adviser',
        text: 'Yes: <b>chemistry</b> helps',
        at: '2025-03-03T10:02:00.000Z',
      },
    ];
    const document = transcriptDocumentFor(record);
    expect(document.text).toContain('Can I do vet science?');
    expect(document.text).toContain('Yes: <b>chemistry</b> helps');
    expect(document.html).toContain('Yes: &lt;b&gt;chemistry&lt;/b&gt; helps');
    expect(document.html).not.toContain('<b>chemistry');
  });

  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
