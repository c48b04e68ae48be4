// An order service whose methods are audited by a decorator. The audit trail keeps the value
// each call returned, so every Order placed stays reachable from the trail.
interface AuditEntry {
  method: string;
  at: number;
  result: unknown;
}

export const auditTrail: AuditEntry[] = [];

function audited(_target: object, method: string, descriptor: PropertyDescriptor): void {
  const original = descriptor.value as (...args: unknown[]) => unknown;
  descriptor.value = function (this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    auditTrail.push({ method, at: Date.now(), result });
    return result;
  };
}

export class Order {
  readonly lines: string[];
  constructor(
    readonly id: number,
    items: string[],
  ) {
    this.lines = items.map((item) => item.padEnd(120, ' '));
  }
}

export class OrderService {
  private nextId = 1;

  @audited
  place(items: string[]): Order {
    const order = new Order(this.nextId++, items);
    return order;
  }
}
