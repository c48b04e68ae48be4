// An outbox for notifications that should be retried when delivery fails. Delivery never
// reports success back, so every message stays queued for good.
export interface Recipient {
  id: number;
  channel: 'email' | 'sms';
}

export class Notification {
  readonly createdAt = Date.now();
  constructor(
    readonly recipient: Recipient,
    readonly body: string,
  ) {}
}

const pending: Notification[] = [];

export function enqueue(recipient: Recipient, body: string): Notification {
  const note: Notification = new Notification(recipient, body);
  pending.push(note);
  return note;
}

export function pendingCount(): number {
  return pending.length;
}
