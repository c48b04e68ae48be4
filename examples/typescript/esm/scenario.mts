// Heap Lens scenario: an ES module in TypeScript (.mts), importing its sibling NodeNext-style
// (`./tracer.mjs` names `./tracer.mts`). Each unit of work handles 200 traced requests.
import { traced } from './tracer.mjs';

let served = 0;

export async function action(): Promise<void> {
  for (let i = 0; i < 200; i++) traced(`GET /items/${served++}`, () => served * 2);
}
