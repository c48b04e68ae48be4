// Pattern (TypeScript): Map entry through high-cardinality labels. A metrics registry
// keeps one series per (name, labels) pair, forever, by design: a label that carries a
// user id instead of a route template makes a new series for every user.

export type Labels = Readonly<Record<string, string>>;

export class MetricSeries {
  // Fixed histogram buckets, allocated up front like real clients do.
  readonly buckets: number[] = new Array<number>(128).fill(0);
  count = 0;

  constructor(readonly name: string, readonly labels: Labels) {}

  observe(valueMs: number): void {
    this.buckets[Math.min(127, Math.floor(valueMs))]++;
    this.count++;
  }
}

function seriesKey(name: string, labels: Labels): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`);
  return `${name}{${parts.join(',')}}`;
}

export class MetricsRegistry {
  private readonly series = new Map<string, MetricSeries>();

  histogram(name: string, labels: Labels): MetricSeries {
    const key = seriesKey(name, labels);
    let series = this.series.get(key);
    if (series === undefined) {
      series = new MetricSeries(name, labels);
      this.series.set(key, series);
    }
    return series;
  }

  get size(): number {
    return this.series.size;
  }
}

export const metrics = new MetricsRegistry();
