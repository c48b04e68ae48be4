// A small typed CDP client over one WebSocket. Method and event names and their
// parameter types come from devtools-protocol's ProtocolMapping, so a typo in a method
// name or a wrong parameter is a compile error rather than a silent CDP -32601.
//
// Failure model: every request has a timeout, and when the socket goes away every
// pending request is rejected with the one reason the connection died for, so callers
// awaiting several things at once all see the same clear message.
//
// Closing: Node 20's inspector can crash the debuggee (SIGSEGV) when it sends a message while
// it reads the end of our socket (docs/v8-facts.md), so a session that lets go of a process
// that should live on waits first for the answer to everything it sent (answered,
// closeQuietly), even requests whose caller stopped waiting.

import WebSocket from 'ws';
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping';
import { InspectorError, abortError } from './errors';
import { forTerminal } from '../core/sanitize';

export type Commands = ProtocolMapping.Commands;
export type Events = ProtocolMapping.Events;
export type CommandParams<M extends keyof Commands> = Commands[M]['paramsType'];
export type CommandResult<M extends keyof Commands> = Commands[M]['returnType'];
export type EventParams<E extends keyof Events> = Events[E] extends [infer P] ? P : undefined;

export interface RequestOptions {
  /** Milliseconds before the request fails with TIMEOUT; `Infinity` for none. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with the answer's place in the message order (see messagesReceived) just before it settles. */
  onAnswer?: (seq: number) => void;
}

export interface CdpClientOptions {
  /** Default per-request timeout (ms). */
  requestTimeoutMs?: number;
}

interface ClientInit extends CdpClientOptions {
  /** Set by connect(): the socket is js-debug's proxy onto the debugger's own V8 session. */
  viaJsDebugProxy?: boolean;
}

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
  dispose(): void;
}

type Listener = (params: unknown) => void;

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Bound on waiting for the answers before closing (closeQuietly): V8 busy longer answers after our session is gone. */
export const QUIET_CLOSE_MS = 5_000;
/** A request every inspector answers at once and that changes nothing (no such group exists). */
const FLUSH_PARAMS = { objectGroup: 'heaplens-flush' };

export class CdpClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly closeListeners = new Set<(reason: InspectorError) => void>();
  private closeReason: InspectorError | undefined;
  private readonly requestTimeoutMs: number;
  private received = 0;
  /** Ids sent whose answer has not arrived, whether or not their caller still waits for it. */
  private readonly unanswered = new Set<number>();
  private readonly quietWaiters = new Set<() => void>();
  /**
   * True when talking through VS Code's js-debug CDP proxy. That V8 session belongs to
   * the user's debug session: never disable domains or change pause behaviour on it.
   */
  readonly viaJsDebugProxy: boolean;

  /** Use `connect()` from './connect' rather than constructing over an open socket yourself. */
  constructor(
    private readonly ws: WebSocket,
    readonly url: string,
    options: ClientInit = {},
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.viaJsDebugProxy = options.viaJsDebugProxy ?? false;
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', (code, reason) => {
      const why = reason.length ? `: ${forTerminal(reason.toString(), { max: 200 })}` : '';
      this.shutdown(
        new InspectorError(
          'DISCONNECTED',
          `the inspector connection to ${url} was closed (code ${code}${why})`,
        ),
      );
    });
    // 'error' is always followed by 'close'; keep the first, more specific, message.
    ws.on('error', (err) => {
      this.shutdown(
        new InspectorError(
          'DISCONNECTED',
          `the inspector connection to ${url} failed: ${forTerminal(err.message, { max: 500 })}`,
          { cause: err },
        ),
      );
    });
  }

  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  /**
   * Messages (answers and events) received so far. The inspector sends both in the order the
   * debuggee made them, so comparing these numbers tells what happened after what there
   * (marks.ts: a heap-stats push after a unit of work's answer was made after that work).
   */
  get messagesReceived(): number {
    return this.received;
  }

  /** Why the connection ended, once it has. */
  get closedBecause(): InspectorError | undefined {
    return this.closeReason;
  }

  /** Typed request with the default timeout: `client.send('HeapProfiler.enable')`. */
  send<M extends keyof Commands>(method: M, ...params: CommandParams<M>): Promise<CommandResult<M>> {
    return this.request(method, params[0]) as Promise<CommandResult<M>>;
  }

  /** Typed request with options (timeout, cancellation). */
  call<M extends keyof Commands>(
    method: M,
    params: CommandParams<M>[0],
    options: RequestOptions = {},
  ): Promise<CommandResult<M>> {
    return this.request(method, params, options) as Promise<CommandResult<M>>;
  }

  /** Untyped request, for methods outside the protocol such as `JsDebug.subscribe`. */
  request(method: string, params?: object, options: RequestOptions = {}): Promise<unknown> {
    if (this.closeReason) return Promise.reject(this.closeReason);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal, method));
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    const id = this.nextId++;
    this.unanswered.add(id);
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => settle(abortError(signal!, method));
      const settle = (err: Error | undefined, value?: unknown) => {
        if (!this.pending.delete(id)) return;
        entry.dispose();
        if (err) reject(err);
        else resolve(value);
      };
      const entry: Pending = {
        method,
        resolve: (v) => {
          options.onAnswer?.(this.received);
          settle(undefined, v);
        },
        reject: (e) => settle(e),
        dispose: () => {
          if (timer) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      this.pending.set(id, entry);
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(
          () => settle(new InspectorError('TIMEOUT', `${method} got no answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.ws.send(JSON.stringify({ id, method, params: params ?? {} }), (err) => {
        if (!err) return;
        this.gotAnswer(id); // never sent, so never answered
        settle(
          // ws says "WebSocket is not open: readyState 2 (CLOSING)": the program went away.
          new InspectorError(
            'DISCONNECTED',
            `the connection to the program closed (could not send ${method})`,
            {
              cause: err,
            },
          ),
        );
      });
    });
  }

  /** Requests sent and not yet answered by the other end (their callers may have given up). */
  get outstanding(): number {
    return this.unanswered.size;
  }

  /**
   * Resolves true once no request is waiting for its answer (every one sent so far has had it,
   * or the connection ended: nothing more will come), false when `timeoutMs` passes first.
   */
  answered(timeoutMs = Infinity): Promise<boolean> {
    if (this.unanswered.size === 0 || this.closeReason) return Promise.resolve(true);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (quiet: boolean) => {
        this.quietWaiters.delete(onQuiet);
        if (timer) clearTimeout(timer);
        resolve(quiet);
      };
      const onQuiet = () => done(true);
      this.quietWaiters.add(onQuiet);
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => done(false), timeoutMs);
    });
  }

  /**
   * One round trip (bounded by `timeoutMs`): the inspector sends its messages in order, so once
   * this answer is here, everything it had sent us before has arrived too. Unlike answered(), it
   * does not wait for requests still running (an evaluation that never returns, in a process
   * that is exiting from inside it). True when the answer came in time.
   */
  async flush(timeoutMs = QUIET_CLOSE_MS): Promise<boolean> {
    if (this.closeReason) return true;
    // An error answer is an answer too: all that matters is that it came back.
    return this.call('Runtime.releaseObjectGroup', FLUSH_PARAMS, { timeoutMs }).then(
      () => true,
      (e: unknown) => e instanceof InspectorError && e.code === 'PROTOCOL',
    );
  }

  /**
   * Close once every request sent has its answer, waiting at most `timeoutMs`: for a process
   * that lives on after us (docs/v8-facts.md, the Node 20 crash on a message sent while our end
   * of the socket is read). Pending requests reject with `reason` as with close().
   */
  async closeQuietly(reason?: InspectorError, timeoutMs = QUIET_CLOSE_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // Again if a request went out between the last answer and this turn (a caller's follow-up).
    while (this.unanswered.size > 0 && !this.closeReason && Date.now() < deadline)
      await this.answered(deadline - Date.now());
    this.close(reason);
  }

  /** Subscribe to a typed event; returns the unsubscribe function. */
  on<E extends keyof Events>(event: E, listener: (params: EventParams<E>) => void): () => void {
    return this.onRaw(event, listener as Listener);
  }

  onRaw(event: string, listener: Listener): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Called once, with the reason, when the connection ends (immediately if it already has). */
  onClose(listener: (reason: InspectorError) => void): () => void {
    if (this.closeReason) {
      listener(this.closeReason);
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => {
      this.closeListeners.delete(listener);
    };
  }

  /**
   * Close the socket. Pending requests reject with `reason` (default: DISCONNECTED
   * "closed by us"), which lets an owner such as the runner substitute a better
   * explanation like "the debuggee exited".
   */
  close(reason?: InspectorError): void {
    this.shutdown(
      reason ?? new InspectorError('DISCONNECTED', `the inspector connection to ${this.url} was closed`),
    );
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      // terminate(), not close(): a wedged debuggee might never finish the close handshake.
      this.ws.terminate();
    }
  }

  private shutdown(reason: InspectorError): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    // Nothing more will be answered: whoever waits for the answers may go on.
    this.unanswered.clear();
    this.wakeQuietWaiters();
    for (const p of [...this.pending.values()]) p.reject(reason);
    this.listeners.clear();
    for (const l of [...this.closeListeners]) {
      try {
        l(reason);
      } catch {
        // A faulty close listener must not stop the others from learning the news.
      }
    }
    this.closeListeners.clear();
  }

  private gotAnswer(id: number): void {
    if (this.unanswered.delete(id) && this.unanswered.size === 0) this.wakeQuietWaiters();
  }

  private wakeQuietWaiters(): void {
    for (const w of [...this.quietWaiters]) w();
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary) return;
    let msg: {
      id?: number;
      method?: string;
      params?: unknown;
      result?: unknown;
      error?: { code: number; message: string; data?: string };
    };
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return; // Not ours to crash over; a broken frame only affects the request it belonged to (which then times out).
    }
    if (typeof msg !== 'object' || msg === null) return;
    this.received++;
    if (typeof msg.id === 'number') {
      this.gotAnswer(msg.id);
      const p = this.pending.get(msg.id);
      if (!p) return; // Already timed out or cancelled.
      if (msg.error !== undefined) {
        // The text comes from the other end of the socket: one line, escaped, bounded.
        const e = msg.error as { message?: unknown; data?: unknown } | null;
        const text = typeof e?.message === 'string' ? e.message : 'an error without a message';
        const extra = typeof e?.data === 'string' && e.data ? ` (${e.data})` : '';
        p.reject(
          new InspectorError('PROTOCOL', `${p.method} failed: ${forTerminal(text + extra, { max: 2000 })}`),
        );
      } else if (typeof msg.result !== 'object' || msg.result === null || Array.isArray(msg.result)) {
        // Every CDP result is an object; anything else is not an inspector we understand.
        const got = msg.result === null ? 'null' : Array.isArray(msg.result) ? 'an array' : typeof msg.result;
        p.reject(
          new InspectorError(
            'PROTOCOL',
            `${p.method} got a malformed answer from the inspector (its result is ${got}, not an object)`,
          ),
        );
      } else {
        p.resolve(msg.result);
      }
      return;
    }
    if (typeof msg.method === 'string') {
      const set = this.listeners.get(msg.method);
      if (!set) return;
      for (const l of [...set]) {
        try {
          l(msg.params);
        } catch {
          // Listeners own their errors (the snapshot code turns a failing sink into a
          // failed snapshot); one must not kill the socket's message loop for the rest.
        }
      }
    }
  }
}
