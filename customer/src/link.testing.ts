// Test double for CustomerLink: a connection the test raises and drops by
// hand, with a fake server answering each request. Requests can be held
// unanswered, to be answered (or lost in a drop) at the moment a test chooses.
import { fail, ok, type Result } from '../../shared/result';
import {
  LinkListeners,
  type CustomerLink,
  type CustomerNoticeName,
  type CustomerPushName,
  type CustomerRequestName,
} from './link';

export interface FakeRequest {
  event: CustomerRequestName;
  payload: unknown;
  /** Which connection it went out on (counts up with every connect). */
  connection: number;
}

/** The fake server's answer: an envelope to send back, or 'hold' to answer later with `answerHeld`. */
export type FakeAnswer = Result<unknown> | 'hold';

interface Held {
  request: FakeRequest;
  resolve(answer: Result<unknown>): void;
}

export class FakeCustomerLink extends LinkListeners implements CustomerLink {
  readonly requests: FakeRequest[] = [];
  readonly notices: { event: CustomerNoticeName; payload: unknown }[] = [];
  /** Answers every request; tests replace it. The default is a server that never answers. */
  server: (request: FakeRequest) => FakeAnswer = () => 'hold';
  renewals = 0;
  private up = false;
  private connection = 0;
  private held: Held[] = [];

  connected(): boolean {
    return this.up;
  }

  request(event: CustomerRequestName, payload: unknown): Promise<Result<unknown>> {
    if (!this.up) return Promise.resolve(fail('unavailable', 'Not connected to the helpline'));
    const request: FakeRequest = { event, payload, connection: this.connection };
    this.requests.push(request);
    const answer = this.server(request);
    if (answer !== 'hold') return Promise.resolve(ok(answer));
    return new Promise((resolve) => {
      this.held.push({ request, resolve: (value) => resolve(value) });
    });
  }

  notify(event: CustomerNoticeName, payload: unknown): void {
    if (this.up) this.notices.push({ event, payload });
  }

  renew(): void {
    this.renewals += 1;
    this.drop();
    this.connect();
  }

  close(): void {
    if (this.up) this.drop();
  }

  // ------------------------------------------------------------ driven by tests

  connect(): void {
    this.up = true;
    this.connection += 1;
    this.announceConnected();
  }

  /** The connection goes: requests waiting for an answer never get one. */
  drop(): void {
    this.up = false;
    const held = this.held;
    this.held = [];
    for (const { resolve } of held) resolve(fail('unavailable', 'The connection dropped'));
    this.announceDisconnected();
  }

  push(event: CustomerPushName, payload: unknown): void {
    this.announcePush(event, payload);
  }

  /** Requests still waiting for an answer. */
  heldRequests(): FakeRequest[] {
    return this.held.map((held) => held.request);
  }

  /** Answers the oldest held request of this event. */
  answerHeld(event: CustomerRequestName, answer: Result<unknown>): void {
    const index = this.held.findIndex((held) => held.request.event === event);
    const [held] = index >= 0 ? this.held.splice(index, 1) : [];
    if (!held) throw new Error(`no ${event} request is waiting for an answer`);
    held.resolve(ok(answer));
  }

  /** How many requests of an event went out, on which connections. */
  sent(event: CustomerRequestName): FakeRequest[] {
    return this.requests.filter((request) => request.event === event);
  }
}
