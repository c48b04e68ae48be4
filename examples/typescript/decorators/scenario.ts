// Heap Lens scenario: a TypeScript class leak through an experimental decorator.
import { OrderService } from './orders';

const service = new OrderService();

export function action(): void {
  for (let i = 0; i < 200; i++) service.place(['widget', 'gadget']);
}
