// Heap Lens scenario: a request handler that labels its latency histogram with the
// request path. Paths carry ids, so every request creates a new MetricSeries.
import { metrics } from './metrics';

let userId = 0;

function handleRequest(path: string, started: number): void {
  metrics.histogram('http_request_duration_ms', { method: 'GET', route: path }).observe(Date.now() - started);
}

export function action(): void {
  for (let i = 0; i < 200; i++) handleRequest(`/users/${userId++}/profile`, Date.now());
}
