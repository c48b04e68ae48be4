'use strict';
// Subclass allocation: `new AuditedOrder(...)` runs AuditedOrder's constructor, then
// Order's through super(); V8 charges the object to the innermost constructor frame
// (Order), so the statement a person wants is the `new AuditedOrder(` in placeOrder.
// The orders land in a module-level array nobody trims.

class Order {
  constructor(id, lines) {
    this.id = id;
    this.lines = lines;
  }
}

class AuditedOrder extends Order {
  constructor(id, lines, actor) {
    super(id, lines);
    this.actor = actor;
    this.trail = `order ${id} placed by ${actor} `.repeat(10);
  }
}

const placedOrders = [];

function placeOrder(id) {
  const order = new AuditedOrder(id, [{ sku: `sku-${id}`, qty: 1 }], 'checkout');
  placedOrders.push(order);
  return order;
}

let nextId = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) placeOrder(nextId++);
  },
};
