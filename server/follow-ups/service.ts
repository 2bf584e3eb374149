// Follow-up calls on the central server: the day's list for an adviser, each
// attempt to ring the customer through the telephony platform, the message
// after the last unanswered attempt and the reminder before the call (through
// the transcript's ways out, email relay and text provider), rebooking within
// the window, withdrawal, and how full each day of a window is. Time comes
// from the server's clock, so a test moves it instead of waiting.
import { randomUUID } from 'node:crypto';
import { parseContactAddress, parseUkPhoneNumber } from '../../shared/domain/contact-address';
import type { StaffMember } from '../../shared/domain/people';
import {
  checkCallAttempt,
  dueState,
  fallbackMessageDue,
  maxCallAttempts,
  messageChannel,
  offeredToTeam,
  reminderDue,
  reminderLeadMs,
} from '../../shared/interaction/follow-up-calls';
import { checkFollowUpSlot, followUpWindow, ukLocalTime } from '../../shared/interaction/follow-up';
import { londonFormat, londonWallToIso } from '../../shared/time/london';
import {
  clockWords,
  defaultServiceHours,
  type ServiceHours,
} from '../../shared/time/service-hours';
import type { InteractionRecord } from '../../shared/interaction/record';
import { fail, ok, type Result } from '../../shared/result';
import type {
  FollowUpAttemptResult,
  FollowUpCall,
  FollowUpCapacity,
  FollowUpList,
  FollowUpMessage,
} from '../../shared/wire/follow-ups';
import { authorize } from '../permissions/policy';
import type { ServerStorage, HeldFollowUp } from '../storage/types';
import type { RoutingClock } from '../routing/clock';
import type { TelephonyPlatform } from '../telephony/types';
import type { CustomerMessaging } from '../transcripts';

export interface FollowUpServiceDependencies {
  storage: ServerStorage;
  telephony: TelephonyPlatform;
  messages: CustomerMessaging;
  now: () => number;
  /** The helpline's opening hours (the same as web chat's); absent, the built-in hours. */
  serviceHours?: ServiceHours;
  /** Whether this staff member has a desk signed in now: an adviser without one is away. */
  hasConnectedDesk(staffId: string): Promise<boolean>;
  log(line: string): void;
}

const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The window of the first contact, from its record; null while the record is not held. */
const contactAtOf = (record: InteractionRecord) =>
  record.summary.call.connectedAt ?? record.summary.call.offeredAt;

function windowOf(record: InteractionRecord | null) {
  if (!record) return null;
  const contactAt = contactAtOf(record);
  return contactAt ? followUpWindow(contactAt, record.summary.caller.age) : null;
}

/** The attempts that count against the current slot: those since the last rebooking. */
function currentAttempts(held: HeldFollowUp) {
  const since = held.rebookedAt;
  return since === null ? held.attempts : held.attempts.filter((attempt) => attempt.at > since);
}

export class FollowUpService {
  constructor(private readonly deps: FollowUpServiceDependencies) {}

  private nowIso(): string {
    return new Date(this.deps.now()).toISOString();
  }

  private async view(held: HeldFollowUp, now: string): Promise<FollowUpCall> {
    const window = windowOf(held.record);
    const away =
      held.status === 'open' && !(await this.deps.hasConnectedDesk(held.booking.adviserId));
    const record = held.record;
    return {
      id: held.booking.id,
      interactionId: held.booking.interactionId,
      bookedBy: { id: held.booking.adviserId, name: held.bookedByName },
      slotStart: held.booking.slotStart,
      contactMethod: held.booking.contactMethod,
      contactAddress: held.booking.contactAddress,
      status: held.status,
      due: dueState(held.booking.slotStart, now),
      window,
      offeredToTeam: held.status === 'open' && offeredToTeam(window, now, away),
      agreed: record
        ? {
            mainPoints: record.summary.nextSteps.mainPoints,
            actions: record.summary.nextSteps.actions,
            startingPoint: record.summary.startingPoint,
          }
        : null,
      attempts: held.attempts,
      messages: held.messages,
      withdrawnReason: held.withdrawnReason,
      completedBy: held.completedBy,
    };
  }

  /**
   * A follow-up this staff member may work on: their own booking, or one
   * offered to the team. Anything else reads as not there, as another
   * adviser's customer is not theirs to know of.
   */
  private async workable(staff: StaffMember, id: string): Promise<Result<HeldFollowUp>> {
    const held = await this.deps.storage.followUpCalls.find(id);
    if (!held) return fail('not_found', 'There is no such follow-up');
    if (authorize(staff, 'follow-up.call', held.booking.adviserId).ok) return ok(held);
    const may = authorize(staff, 'follow-up.call');
    if (!may.ok) return may;
    const view = await this.view(held, this.nowIso());
    if (!view.offeredToTeam) return fail('not_found', 'There is no such follow-up');
    return ok(held);
  }

  /** Due today and overdue, open: the reader's own first, then those offered to the team. */
  async dayList(staff: StaffMember): Promise<FollowUpList> {
    const now = this.nowIso();
    const today = ukLocalTime(now);
    const endOfToday = today ? londonWallToIso(nextDay(today.date), '00:00') : now;
    const open = await this.deps.storage.followUpCalls.openBefore(endOfToday ?? now);
    const views = await Promise.all(open.map((held) => this.view(held, now)));
    const own = views.filter((view) => view.bookedBy.id === staff.id);
    const team = views.filter((view) => view.bookedBy.id !== staff.id && view.offeredToTeam);
    return { items: [...own, ...team], at: now };
  }

  async find(staff: StaffMember, id: string): Promise<Result<FollowUpCall>> {
    const held = await this.workable(staff, id);
    return held.ok ? ok(await this.view(held.value, this.nowIso())) : held;
  }

  /** Rings the customer once, records the attempt, and after the last unanswered one closes it and sends the note. */
  async attempt(staff: StaffMember, id: string): Promise<Result<FollowUpAttemptResult>> {
    const found = await this.workable(staff, id);
    if (!found.ok) return found;
    const held = found.value;
    if (held.status !== 'open') return fail('conflict', `This follow-up is ${held.status}`);
    const now = this.nowIso();
    const attemptsSoFar = currentAttempts(held);
    const check = checkCallAttempt(
      held.booking.contactMethod,
      held.booking.slotStart,
      attemptsSoFar,
      now,
    );
    if (!check.ok) return fail('conflict', check.reason);
    const number = parseUkPhoneNumber(held.booking.contactAddress);
    if (!number.ok) return number;
    const call = await this.deps.telephony.dial(staff.id, number.value);
    if (!call.ok) return call;
    const attempt = {
      id: randomUUID(),
      at: now,
      dayPart: check.dayPart,
      adviserId: staff.id,
      callId: call.value.callId,
      answered: call.value.answered,
    };
    await this.deps.storage.followUpCalls.addAttempt({ ...attempt, followUpId: id });
    const attempts = [...attemptsSoFar, attempt];
    if (!attempt.answered && attempts.length >= maxCallAttempts) {
      await this.deps.storage.followUpCalls.close(id, 'unreached', now);
      if (fallbackMessageDue(held.booking.contactMethod, attempts, false)) {
        await this.sendMessage(held, 'no_answer');
      }
    }
    const after = await this.deps.storage.followUpCalls.find(id);
    return ok({ attempt, followUp: await this.view(after ?? held, now) });
  }

  async rebook(staff: StaffMember, id: string, slotStart: string): Promise<Result<FollowUpCall>> {
    const found = await this.workable(staff, id);
    if (!found.ok) return found;
    const held = found.value;
    if (held.status !== 'open') return fail('conflict', `This follow-up is ${held.status}`);
    const record = held.record;
    const contactAt = record ? contactAtOf(record) : null;
    if (!record || !contactAt) {
      return fail(
        'conflict',
        "The first contact's record is not held yet, so its window is unknown",
      );
    }
    const check = checkFollowUpSlot(
      contactAt,
      record.summary.caller.age,
      slotStart,
      this.deps.serviceHours,
    );
    if (!check.ok) return fail('invalid_input', check.reason);
    const now = this.nowIso();
    if (Date.parse(slotStart) <= Date.parse(now)) {
      return fail('invalid_input', 'Rebook for a time still to come');
    }
    if (!(await this.deps.storage.followUpCalls.rebook(id, slotStart, now))) {
      return fail('conflict', 'This follow-up is no longer open');
    }
    // A new slot earns a new reminder.
    await this.deps.storage.followUpCalls.releaseMessage(id, 'reminder');
    return this.find(staff, id);
  }

  async withdraw(staff: StaffMember, id: string, reason: string): Promise<Result<FollowUpCall>> {
    const found = await this.workable(staff, id);
    if (!found.ok) return found;
    if (
      !(await this.deps.storage.followUpCalls.close(id, 'withdrawn', this.nowIso(), {
        withdrawnReason: reason,
      }))
    ) {
      return fail('conflict', 'This follow-up is no longer open');
    }
    return this.find(staff, id);
  }

  /** Follow-ups booked on each UK day from `from` to `to`, inclusive. */
  async capacity(from: string, to: string): Promise<FollowUpCapacity> {
    const start = londonWallToIso(from, '00:00');
    const end = londonWallToIso(nextDay(to), '00:00');
    const slots =
      start && end ? await this.deps.storage.followUpCalls.slotsBetween(start, end) : [];
    const counts = new Map<string, number>();
    for (const slot of slots) {
      const date = ukLocalTime(slot)?.date;
      if (date) counts.set(date, (counts.get(date) ?? 0) + 1);
    }
    const days: FollowUpCapacity['days'] = [];
    for (let date = from; date <= to; date = nextDay(date)) {
      days.push({ date, booked: counts.get(date) ?? 0 });
    }
    return { days };
  }

  /** A completed follow-up interaction closes its booking (from the ingest of its record). */
  async completed(bookingId: string, interactionId: string, at: string): Promise<boolean> {
    return this.deps.storage.followUpCalls.close(bookingId, 'completed', at, {
      completedBy: interactionId,
    });
  }

  /** Sends every reminder now due: open follow-ups within a day of their slot, to customers who agreed to messages. */
  async sendReminders(): Promise<number> {
    const now = this.deps.now();
    const soon = await this.deps.storage.followUpCalls.openBetween(
      new Date(now).toISOString(),
      new Date(now + reminderLeadMs).toISOString(),
    );
    let sent = 0;
    for (const held of soon) {
      const already = held.messages.some((message) => message.kind === 'reminder');
      if (
        !reminderDue(
          held.booking.contactMethod,
          held.booking.slotStart,
          new Date(now).toISOString(),
          already,
        )
      )
        continue;
      if (await this.sendMessage(held, 'reminder')) sent += 1;
    }
    return sent;
  }

  /**
   * Claims the message, sends it, and gives the claim back when the send
   * failed, so the next sweep (reminders) or nobody (the note after the last
   * attempt, which is logged for an operator) tries again. The claim keeps two
   * server processes from sending the same message.
   */
  private async sendMessage(held: HeldFollowUp, kind: FollowUpMessage['kind']): Promise<boolean> {
    const via = messageChannel(held.booking.contactMethod);
    if (!via) return false;
    const address = parseContactAddress(via, held.booking.contactAddress);
    if (!address.ok) return false;
    const id = held.booking.id;
    if (
      !(await this.deps.storage.followUpCalls.claimMessage(id, {
        kind,
        via,
        sentAt: this.nowIso(),
      }))
    ) {
      return false;
    }
    const { subject, text } = followUpMessageText(
      kind,
      held.booking.slotStart,
      this.deps.serviceHours,
    );
    const { email, textMessages, messageIdDomain } = this.deps.messages;
    const reference = `<${id}.follow-up-${kind}@${messageIdDomain}>`;
    try {
      if (via === 'email') {
        await email.send({
          to: address.value.address,
          subject,
          text,
          html: `<p>${text}</p>`,
          messageId: reference,
        });
      } else {
        await textMessages.send({ to: address.value.address, subject, body: text, reference });
      }
      return true;
    } catch (error) {
      await this.deps.storage.followUpCalls.releaseMessage(id, kind);
      this.deps.log(
        `follow-up ${id}: the ${kind} message could not be sent (${error instanceof Error ? error.message : String(error)})`,
      );
      return false;
    }
  }
}

const messageTime = londonFormat({
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * The words of each message. No name, no notes: a phone or inbox may be
 * shared, so the message says only who is calling and when. Plain words with
 * no markup, so the same text serves as the email's HTML paragraph.
 */
export function followUpMessageText(
  kind: FollowUpMessage['kind'],
  slotStart: string,
  hours: ServiceHours = defaultServiceHours,
): { subject: string; text: string } {
  const when = messageTime.format(new Date(slotStart));
  return kind === 'reminder'
    ? {
        subject: 'Your follow-up call from the careers helpline',
        text: `The careers helpline will call you on ${when} (UK time) for the follow-up you booked. If you no longer want it, call us back and we will cancel it.`,
      }
    : {
        subject: 'We tried to call you: careers helpline follow-up',
        text: `The careers helpline tried to call you ${maxCallAttempts} times for the follow-up you booked, but could not reach you. You can call us any day from ${clockWords(hours.opensAt)} to ${clockWords(hours.closesAt)} to talk again.`,
      };
}

/** How often the server looks for reminders due. */
export const reminderSweepMs = 5 * 60_000;

/** Sends due reminders now and every few minutes on the server's clock; returns a function that stops it. */
export function startReminderSweep(
  service: FollowUpService,
  clock: RoutingClock,
  log: (line: string) => void,
): () => void {
  let cancel: () => void = () => undefined;
  let stopped = false;
  const sweep = () => {
    void service
      .sendReminders()
      .catch((error: unknown) => log(`follow-up reminders: ${String(error)}`))
      .finally(() => {
        if (!stopped) cancel = clock.after(reminderSweepMs, sweep);
      });
  };
  cancel = clock.after(0, sweep);
  return () => {
    stopped = true;
    cancel();
  };
}
