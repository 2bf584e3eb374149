// "Pointed to" on the next-steps stage lists each article as the young person
// will see it in the plan (its title and public page), never by its internal
// id, and the event the knowledge panel sends fixes what was shown.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { initialInteractionContext } from '../../shared/interaction/machine';
import {
  NextStepsStage,
  pointToArticleEvent,
} from '../../renderer/src/interaction/stages/NextStepsStage';

const astronaut = {
  articleId: 'astronaut-and-uk-space-sector',
  title: 'Astronaut and careers in the UK space sector',
  url: 'https://nationalcareers.service.gov.uk/job-profiles/astronaut',
};

function render(nextSteps: Partial<ReturnType<typeof initialInteractionContext>['nextSteps']>) {
  const context = initialInteractionContext();
  context.nextSteps = { ...context.nextSteps, ...nextSteps };
  return renderToStaticMarkup(<NextStepsStage context={context} send={() => undefined} />);
}

/** The "Articles and services pointed to" list, as markup. */
const pointedTo = (html: string) =>
  /<ul aria-label="Articles and services pointed to">(.*?)<\/ul>/.exec(html)?.[1] ?? '';

describe('articles pointed to, on the next-steps stage', () => {
  it('are listed by title with their public page, and removed by title', () => {
    const html = render({
      articleIds: [astronaut.articleId],
      articleLinks: [astronaut],
      services: ['Space Careers UK'],
    });
    const list = pointedTo(html);
    expect(list).toContain(`<bdi>${astronaut.title}</bdi>`);
    expect(list).toContain(`<bdi>${astronaut.url}</bdi>`);
    expect(list).toContain(`Remove ${astronaut.title} from the plan</button>`);
    expect(list).toContain('Space Careers UK');
    expect(html).not.toContain(astronaut.articleId);
  });

  it('say when an article has no public page, and never show an id, even one without a title', () => {
    const html = render({
      articleIds: ['graphic-design-careers', 'bursary-fund-16-to-19'],
      articleLinks: [
        { articleId: 'graphic-design-careers', title: 'Graphic design careers', url: null },
      ],
    });
    const list = pointedTo(html);
    expect(list).toContain('Graphic design careers');
    expect(list).toContain('no public page: the plan gives its title only');
    // Pointed to before records kept titles: the adviser is told, not shown the id.
    expect(list).toContain('An article with no title recorded');
    expect(html).not.toMatch(/graphic-design-careers|bursary-fund-16-to-19/);
  });

  it('are added from the knowledge panel, not by typing an id', () => {
    const html = render({});
    expect(html).not.toMatch(/<label[^>]*>Article<\/label>/);
    expect(html).toContain('open it in the knowledge panel and choose Add to action plan');
  });

  it('are pointed to with what the young person will be shown, fixed in the event', () => {
    expect(pointToArticleEvent(astronaut)).toEqual({
      type: 'POINT_TO_ARTICLE',
      articleId: astronaut.articleId,
      shown: { title: astronaut.title, url: astronaut.url },
    });
  });
});
