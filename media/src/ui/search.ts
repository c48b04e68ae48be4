// The search box: marks matching nodes (class, value preview, @id) and walks through
// them with Enter / Shift+Enter.

import type { GraphModel } from '../model/graphModel';
import { formatCount } from '../render/format';

export interface SearchHooks {
  mark(keys: ReadonlySet<string> | null): void;
  goTo(key: string): void;
  visible(key: string): boolean;
}

export class Search {
  private matches: string[] = [];
  private at = -1;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly count: HTMLElement,
    private readonly model: () => GraphModel | undefined,
    private readonly hooks: SearchHooks,
  ) {
    input.addEventListener('input', () => this.run());
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.step(event.shiftKey ? -1 : 1);
      } else if (event.key === 'Escape') {
        input.value = '';
        this.run();
      }
    });
  }

  /** Re-run after the graph changed. */
  run(): void {
    const query = this.input.value.trim().toLowerCase();
    const model = this.model();
    this.at = -1;
    if (!query || !model) {
      this.matches = [];
      this.hooks.mark(null);
      this.count.textContent = '';
      return;
    }
    const id = /^@?(\d+)$/.exec(query)?.[1];
    this.matches = [...model.nodes.values()]
      .filter(
        (n) =>
          this.hooks.visible(n.key) &&
          ((id !== undefined && n.id === Number(id)) ||
            String(n.name).toLowerCase().includes(query) ||
            (n.preview !== undefined && String(n.preview).toLowerCase().includes(query))),
      )
      .map((n) => n.key);
    this.hooks.mark(new Set(this.matches));
    this.count.textContent =
      this.matches.length === 0
        ? 'No matches'
        : `${formatCount(this.matches.length)} ${this.matches.length === 1 ? 'match' : 'matches'}`;
  }

  private step(direction: number): void {
    if (this.matches.length === 0) return;
    this.at = (this.at + direction + this.matches.length) % this.matches.length;
    this.count.textContent = `${this.at + 1} of ${formatCount(this.matches.length)}`;
    this.hooks.goTo(this.matches[this.at]);
  }
}
