// The one way a worker thread and its caller talk. Each worker's methods are one interface
// (an API: every method returns a promise); the messages are derived from it, so a call
// cannot name a method the worker lacks or pass it the wrong arguments, and the client is
// a Proxy typed as the interface (no hand-written wrapper per method). Fire-and-forget
// messages (stream chunks, pause, abort) are a second interface of methods returning void.
// Errors cross as stable codes (./errors.ts); progress and program output as events.

import { RemoteError, WireError } from './errors';

type AnyFn = (...args: never[]) => unknown;

/** The names of `A`'s methods. */
export type MethodOf<A> = { [K in keyof A]: A[K] extends AnyFn ? K : never }[keyof A] & string;
type ArgsOf<F> = F extends (...args: infer P) => unknown ? P : never;
type ValueOf<F> = F extends (...args: never[]) => Promise<infer R> ? R : never;

/** A request for method `K` of `A`; the worker answers with a Result or a Failure of the same id. */
export interface Call<A, K extends MethodOf<A> = MethodOf<A>> {
  kind: 'call';
  id: number;
  method: K;
  args: ArgsOf<A[K]>;
}

export interface Result<A, K extends MethodOf<A> = MethodOf<A>> {
  kind: 'result';
  id: number;
  value: ValueOf<A[K]>;
}

export interface Failure {
  kind: 'error';
  id: number;
  error: WireError;
}

/** A fire-and-forget message: method `K` of the signals interface `S`, no answer. */
export interface Signal<S, K extends MethodOf<S> = MethodOf<S>> {
  kind: 'signal';
  name: K;
  args: ArgsOf<S[K]>;
}

/** Where a long request is: `done` of `total` in `phase` (bytes, iterations, or steps). */
export interface Progress {
  phase: string;
  done: number;
  total: number;
  message?: string;
}

/** Sent by the worker between answers. */
export type Notice = { kind: 'progress'; progress: Progress } | { kind: 'output'; text: string };

export type ToWorker<A, S> = Call<A> | Signal<S>;
export type FromWorker<A> = Result<A> | Failure | Notice;

/** What a worker_threads Worker or parentPort offers; kept structural so tests can pair two ports. */
export interface Port {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/** Narrows a call to one method, so its arguments are typed (vscode-js-profile's isMethod). */
export function isMethod<A, K extends MethodOf<A>>(method: K, call: Call<A>): call is Call<A, K> {
  return call.method === method;
}

/** The caller's side: `api` calls methods, `signal` sends fire-and-forget messages. */
export class RpcClient<A extends object, S extends object = Record<never, never>> {
  readonly api: A;
  readonly signal: S;
  onProgress?: (p: Progress) => void;
  onOutput?: (text: string) => void;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private closedBy: Error | null = null;

  constructor(private readonly port: Port) {
    port.on('message', (m) => this.receive(m as FromWorker<A>));
    // `then` is looked up by `await`: the proxies must not look like promises.
    this.api = new Proxy(
      {},
      {
        get: (_t, name) =>
          typeof name !== 'string' || name === 'then'
            ? undefined
            : (...args: unknown[]) => this.call(name, args),
      },
    ) as A;
    this.signal = new Proxy(
      {},
      {
        get: (_t, name) =>
          typeof name !== 'string' || name === 'then'
            ? undefined
            : (...args: unknown[]) => this.send(name, args),
      },
    ) as S;
  }

  get closed(): Error | null {
    return this.closedBy;
  }

  /** Fails every pending call (and every later one) with `e`. */
  close(e: Error): void {
    if (this.closedBy) return;
    this.closedBy = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private call(method: string, args: unknown[]): Promise<unknown> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.postMessage({ kind: 'call', id, method, args });
    });
  }

  private send(name: string, args: unknown[]): void {
    if (!this.closedBy) this.port.postMessage({ kind: 'signal', name, args });
  }

  private receive(m: FromWorker<A>): void {
    if (m.kind === 'progress') {
      this.onProgress?.(m.progress);
      return;
    }
    if (m.kind === 'output') {
      this.onOutput?.(m.text);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.kind === 'result') p.resolve(m.value);
    else p.reject(new RemoteError(m.error.code, m.error.message, m.error.offset));
  }
}

/** What a method implementation may use to talk back while it runs. */
export interface WorkerSide {
  progress(p: Progress): void;
  output(text: string): void;
}

/**
 * The worker's side: answers calls with `api`, hands signals to `signals`, and turns a
 * thrown error into its wire form with `toWire` (each worker knows its own error types).
 */
export function serve<A extends object, S extends object>(
  port: Port,
  api: A,
  signals: S,
  toWire: (e: unknown) => WireError,
): WorkerSide {
  port.on('message', (raw) => {
    const m = raw as ToWorker<A, S>;
    if (m.kind === 'signal') {
      const fn = (signals as Record<string, unknown>)[m.name];
      if (typeof fn === 'function') (fn as (...a: unknown[]) => void).apply(signals, m.args);
      return;
    }
    const fn = (api as Record<string, unknown>)[m.method];
    const run = async (): Promise<unknown> => {
      if (typeof fn !== 'function')
        throw new RemoteError('internal', `this worker has no method ${m.method}`);
      return (fn as (...a: unknown[]) => Promise<unknown>).apply(api, m.args);
    };
    run().then(
      (value) => port.postMessage({ kind: 'result', id: m.id, value }),
      (e: unknown) => port.postMessage({ kind: 'error', id: m.id, error: toWire(e) } satisfies Failure),
    );
  });
  return {
    progress: (progress) => port.postMessage({ kind: 'progress', progress } satisfies Notice),
    output: (text) => port.postMessage({ kind: 'output', text } satisfies Notice),
  };
}
