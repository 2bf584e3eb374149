// What a young person is shown for an article: its title and its public page,
// chosen by the article format and passed through the desk's own link check;
// the "Send link in chat" message, and the links read back from a chat.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadArticleFolder } from '../../knowledge-base/articles';
import { articleFixture } from '../../knowledge-base/testing';
import { checkExternalLink, webAddressSegments } from '../../shared/knowledge/external-link';
import {
  articleLinkFor,
  articleLinkSchema,
  chatTextForLink,
  linksInChatText,
  publicPageOf,
} from '../../shared/knowledge/public-link';

const astronaut = articleFixture({
  id: 'astronaut-and-uk-space-sector',
  title: 'Astronaut and careers in the UK space sector',
  sources: [
    {
      title: 'Astronaut job profile - National Careers Service',
      url: 'https://nationalcareers.service.gov.uk/job-profiles/astronaut',
    },
    {
      title: 'UK Space Agency - GOV.UK',
      url: 'https://www.gov.uk/government/organisations/uk-space-agency',
    },
  ],
});

describe("an article's public link", () => {
  it('is the title and first source of a guide, and never the internal id', () => {
    const link = articleLinkFor(astronaut);
    expect(link).toEqual({
      articleId: 'astronaut-and-uk-space-sector',
      title: 'Astronaut and careers in the UK space sector',
      url: 'https://nationalcareers.service.gov.uk/job-profiles/astronaut',
    });
    expect(chatTextForLink(link)).toBe(
      'Astronaut and careers in the UK space sector: https://nationalcareers.service.gov.uk/job-profiles/astronaut',
    );
    expect(chatTextForLink(link)).not.toContain(link.articleId);
  });

  it("is a service's own website before any of its sources", () => {
    const childline = articleFixture({
      id: 'childline',
      kind: 'service',
      title: 'Childline',
      contact: { phone: '0800 1111', website: 'https://www.childline.org.uk' },
      sources: [{ title: 'NSPCC', url: 'https://www.nspcc.org.uk/' }],
    });
    expect(publicPageOf(childline)).toBe('https://www.childline.org.uk/');
  });

  it('skips a page that fails the link check, and is null when none passes', () => {
    const risky = articleFixture({
      id: 'risky',
      kind: 'service',
      contact: { website: 'https://intranet.local/help' },
      sources: [
        { title: 'Insecure', url: 'http://www.example.org/' },
        { title: 'Router', url: 'https://192.168.1.1/' },
        { title: 'Fine', url: 'https://www.example.org/fine' },
      ],
    });
    expect(publicPageOf(risky)).toBe('https://www.example.org/fine');
    const none = articleFixture({
      id: 'none',
      sources: [{ title: 'Insecure', url: 'http://www.example.org/' }],
    });
    expect(articleLinkFor(none).url).toBeNull();
    expect(chatTextForLink(articleLinkFor(none))).toBeNull();
  });

  it('exists for every starter article, and passes the check the desk opens links with', () => {
    const articles = loadArticleFolder();
    expect(articles.length).toBeGreaterThan(100);
    for (const article of articles) {
      const link = articleLinkFor(article);
      expect(link.title, article.id).toBe(article.title);
      expect(link.url, article.id).not.toBeNull();
      expect(checkExternalLink(link.url ?? '').ok, article.id).toBe(true);
      expect(articleLinkSchema.parse(link)).toEqual(link);
    }
  });
});

describe('links read back from chat messages', () => {
  it('gives back the title and link of a "Send link in chat" message', () => {
    const sent = chatTextForLink(articleLinkFor(astronaut)) ?? '';
    expect(linksInChatText(sent)).toEqual([
      {
        title: 'Astronaut and careers in the UK space sector',
        url: 'https://nationalcareers.service.gov.uk/job-profiles/astronaut',
      },
    ]);
  });

  it('gives each checked address in other messages by its address, and leaves out the rest', () => {
    const typed =
      'Have a look at https://www.ucas.com/ and https://www.gov.uk/student-finance. ' +
      'Not http://insecure.example or https://192.168.0.1/admin or https://printer.local/';
    expect(linksInChatText(typed)).toEqual([
      { title: 'https://www.ucas.com/', url: 'https://www.ucas.com/' },
      {
        title: 'https://www.gov.uk/student-finance',
        url: 'https://www.gov.uk/student-finance',
      },
    ]);
    expect(linksInChatText('Title: https://localhost/secret')).toEqual([]);
    expect(linksInChatText('No links here: just words.')).toEqual([]);
  });

  it('round-trips any title with any public page', () => {
    const title = fc
      .string({ minLength: 1, maxLength: 80 })
      .filter((text) => text.trim() !== '' && !/https:\/\//i.test(text))
      .map((text) => text.trim());
    // Public pages as the format holds them: a public name and a plain path.
    const page = fc
      .tuple(fc.domain(), fc.array(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { maxLength: 4 }))
      .map(([host, path]) => `https://${host}/${path.join('/')}`)
      .filter((url) => {
        const checked = checkExternalLink(url);
        return checked.ok && checked.value === url;
      });
    fc.assert(
      fc.property(title, page, (shownTitle, url) => {
        const text = chatTextForLink({ title: shownTitle, url }) ?? '';
        expect(linksInChatText(text)).toEqual([{ title: shownTitle, url }]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('web addresses in text', () => {
  it('are found as written and carry the checked link only when it passes', () => {
    expect(webAddressSegments('See https://www.gov.uk/x, or https://10.0.0.1/.')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://www.gov.uk/x', url: 'https://www.gov.uk/x' },
      { kind: 'text', text: ', or ' },
      { kind: 'link', text: 'https://10.0.0.1/', url: null },
      { kind: 'text', text: '.' },
    ]);
  });

  it('joined back together are the text, character for character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(
          webAddressSegments(text)
            .map((segment) => segment.text)
            .join(''),
        ).toBe(text);
      }),
      { numRuns: 150 },
    );
  });
});
