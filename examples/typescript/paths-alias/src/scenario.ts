// Heap Lens scenario (TypeScript, no build step): imports the outbox through a tsconfig `paths`
// alias. Each unit of work notifies 200 users; nothing ever drains the outbox.
import { enqueue, type Recipient } from '@lib/outbox';

let nextUser = 0;

export function action(): void {
  for (let i = 0; i < 200; i++) {
    const to: Recipient = { id: nextUser++, channel: i % 2 ? 'email' : 'sms' };
    enqueue(to, `Your order ${to.id} has shipped`.padEnd(400, '.'));
  }
}
