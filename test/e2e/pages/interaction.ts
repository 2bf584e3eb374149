// The interaction screen, found by role and label as a screen reader would:
// the incoming call, the stage navigator, each stage's fields, wrap-up. A
// follow-up call is the same screen with the follow-up stages.
import type { Page } from 'playwright-core';

const guidanceStageNames = {
  caller: 'Caller and eligibility',
  startingPoint: 'Starting point',
  barriers: 'Barriers',
  skillsCheck: 'English, maths and digital',
  nextSteps: 'Next steps',
  followUp: 'Follow-up',
  transcript: 'Transcript',
  serviceQuestions: 'Service questions',
} as const;

const followUpStageNames = {
  actionReview: 'Action plan review',
  statusNow: 'Status now',
  circumstances: 'Change in circumstances',
} as const;

export const stageNames = { ...guidanceStageNames, ...followUpStageNames } as const;
export type StageName = keyof typeof stageNames;

export class InteractionPage {
  constructor(private readonly page: Page) {}

  async answer(): Promise<void> {
    await this.page
      .getByRole('region', { name: 'Incoming call' })
      .getByRole('button', { name: 'Answer' })
      .click();
    await this.heading().filter({ hasText: 'Connected' }).waitFor();
  }

  heading() {
    return this.page.getByRole('heading', {
      level: 2,
      name: /^(Voice call|Web chat|Follow-up call):/,
    });
  }

  stages() {
    return this.page.getByRole('navigation', { name: 'Stages' });
  }

  /** The navigator button for a stage; its accessible name ends with the stage's state. */
  stageButton(stage: StageName) {
    return this.stages().getByRole('button', { name: new RegExp(`^${stageNames[stage]}`) });
  }

  async goTo(stage: StageName): Promise<void> {
    await this.stageButton(stage).click();
    await this.page.getByRole('heading', { name: new RegExp(`^${stageNames[stage]}`) }).waitFor();
  }

  async markNotCovered(stage: StageName, reason: string): Promise<void> {
    await this.goTo(stage);
    await this.page.getByLabel('Reason not covered').fill(reason);
    await this.page.getByRole('button', { name: `Mark ${stageNames[stage]} not covered` }).click();
    await this.page.getByText(`Not covered: ${reason}`).waitFor();
  }

  notes(stage: StageName) {
    return this.page.getByLabel(`Notes on ${stageNames[stage].toLowerCase()}`);
  }

  missing() {
    return this.page.getByRole('list', { name: 'Missing before completion' });
  }

  /** The next-steps stage's list of articles (by title and public link) and services pointed to. */
  pointedTo() {
    return this.page.getByRole('list', { name: 'Articles and services pointed to' });
  }

  async endCall(): Promise<void> {
    await this.page.getByRole('button', { name: 'End call' }).click();
    await this.heading().filter({ hasText: 'Wrap-up' }).waitFor();
  }

  /** The wrap-up's outcome codes: one radio group, required before Complete. */
  outcomeCodes() {
    return this.page.getByRole('group', { name: 'Outcome code (required)' });
  }

  async chooseOutcome(label: string): Promise<void> {
    await this.outcomeCodes().getByRole('radio', { name: label, exact: true }).check();
  }

  /** What completing will do, shown before it is done. */
  summary() {
    return this.page.getByRole('dialog', { name: 'Check before you complete' });
  }

  /** Presses Complete with nothing missing but the confirmation: the summary opens. */
  async openSummary(): Promise<void> {
    await this.page.getByRole('button', { name: 'Complete interaction' }).click();
    await this.summary().waitFor();
  }

  async confirmSummary(): Promise<void> {
    await this.summary().getByRole('button', { name: 'Confirm and complete' }).click();
    // Once the record is in the outbox the desk returns to waiting for the next contact.
    await this.page.getByRole('button', { name: 'Complete interaction' }).waitFor({
      state: 'detached',
    });
  }

  /**
   * Wraps up and completes: chooses an outcome code unless one is chosen,
   * presses Complete, and confirms the summary.
   */
  async complete(outcome = 'Guidance given'): Promise<void> {
    await this.outcomeCodes().waitFor();
    if ((await this.outcomeCodes().getByRole('radio', { checked: true }).count()) === 0) {
      await this.chooseOutcome(outcome);
    }
    await this.openSummary();
    await this.confirmSummary();
  }

  /** Closes every stage still open by marking it not covered: the always-available way out. */
  async markEverythingElseNotCovered(reason: string): Promise<void> {
    for (const stage of Object.keys(guidanceStageNames) as StageName[]) {
      // The button's text ends with its state, hidden visually but read out.
      const text = await this.stageButton(stage).innerText();
      if (/not started|in progress/i.test(text)) await this.markNotCovered(stage, reason);
    }
  }
}
