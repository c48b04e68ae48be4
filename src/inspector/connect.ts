// Turning "where is the debuggee" into an open CdpClient: a ws:// URL, a host:port
// (discovered through /json/list like chrome://inspect does), or VS Code's js-debug
// CDP proxy. An inspector port gives whoever reaches it arbitrary code execution in
// the debuggee, so anything but loopback needs an explicit `allowRemote`.

import http from 'node:http';
import net from 'node:net';
import WebSocket from 'ws';
import { CdpClient, CdpClientOptions, QUIET_CLOSE_MS } from './cdp';
import { InspectorError, isInspectorError } from './errors';
import { forTerminal } from '../core/sanitize';

/** What `extension.js-debug.requestCDPProxy` returns. */
export interface JsDebugProxyAddress {
  host: string;
  port: number;
  path?: string;
}

export type ConnectTarget =
  | string // ws://host:port/<id>
  | { url: string }
  | { host: string; port: number }
  | ({ viaJsDebugProxy: true } & JsDebugProxyAddress);

export interface ConnectOptions extends CdpClientOptions {
  /** Permit non-loopback hosts. Off by default: an inspector port is remote code execution. */
  allowRemote?: boolean;
  /** Bound on TCP connect + WebSocket handshake + /json/list (ms). */
  connectTimeoutMs?: number;
  signal?: AbortSignal;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Events we need through the js-debug proxy, which forwards none until asked. */
export const JS_DEBUG_PROXY_EVENTS = ['HeapProfiler.*', 'Debugger.scriptParsed', 'Runtime.*'];

/**
 * A loopback IP literal, or exactly `localhost`. Any other name (`evil.localhost` included)
 * would be resolved through DNS, which may answer with any address.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) {
    if (h === '::1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return !!mapped && mapped[1].startsWith('127.');
  }
  return false;
}

export function assertHostAllowed(host: string, allowRemote: boolean | undefined, what = 'inspector'): void {
  if (allowRemote || isLoopbackHost(host)) return;
  const why =
    what === 'the HTTP unit of work'
      ? 'a hunt only sends its requests to this machine (a loopback IP address or localhost)'
      : 'an open inspector port allows running any code in that process';
  throw new InspectorError(
    'NOT_LOOPBACK',
    `refusing to connect to ${what} at non-loopback host "${forTerminal(host, { max: 200 })}": ${why}. Set allowRemote to connect anyway.`,
  );
}

/** Host for URLs: IPv6 literals need brackets. */
function urlHost(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}

export async function connect(target: ConnectTarget, options: ConnectOptions = {}): Promise<CdpClient> {
  let url: string;
  let proxy = false;
  if (typeof target === 'string' || 'url' in target) {
    url = typeof target === 'string' ? target : target.url;
  } else if ('viaJsDebugProxy' in target) {
    assertHostAllowed(target.host, options.allowRemote, 'the js-debug CDP proxy');
    url = `ws://${urlHost(target.host)}:${target.port}${target.path ?? ''}`;
    proxy = true;
  } else {
    url = await discoverNodeTarget(target.host, target.port, options);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InspectorError('CONNECT_FAILED', `"${url}" is not a valid ws:// URL`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new InspectorError('CONNECT_FAILED', `"${url}" is not a ws:// URL`);
  }
  assertHostAllowed(parsed.hostname, options.allowRemote);
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const started = Date.now();
  const client = await openSocket(url, { ...options, viaJsDebugProxy: proxy });
  // Something that accepts the socket but never answers (or answers nonsense) must fail
  // here, within the connect timeout, not later one long request timeout at a time.
  const left = { timeoutMs: Math.max(1, timeoutMs - (Date.now() - started)), signal: options.signal };
  try {
    if (proxy) await client.request('JsDebug.subscribe', { events: JS_DEBUG_PROXY_EVENTS }, left);
    else await client.call('Runtime.getIsolateId', undefined, left);
  } catch (e) {
    client.close();
    if (isInspectorError(e, 'TIMEOUT')) {
      throw new InspectorError(
        'CONNECT_FAILED',
        `${url} accepted the connection but did not answer as an inspector within ${timeoutMs} ms`,
        { cause: e },
      );
    }
    if (isInspectorError(e, 'PROTOCOL')) {
      throw new InspectorError(
        'CONNECT_FAILED',
        `${url} did not answer as a Node.js inspector: ${e.message}`,
        { cause: e },
      );
    }
    throw e;
  }
  return client;
}

function openSocket(url: string, options: ConnectOptions & { viaJsDebugProxy: boolean }): Promise<CdpClient> {
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    // perMessageDeflate off: V8's server does not support it and it only costs CPU on
    // multi-megabyte snapshot streams. maxPayload raised: a single CDP message (a big
    // evaluate result) may exceed ws's 100 MiB default only in pathological cases, but
    // we would rather not fail those.
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
      maxPayload: 1 << 30,
    });
    // handshakeTimeout does not cover a TCP connect that hangs (unreachable host).
    const timer = setTimeout(
      () => fail(new InspectorError('CONNECT_FAILED', `could not connect to ${url} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onAbort = () => fail(new InspectorError('CANCELLED', `connecting to ${url} was cancelled`));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let done = false;
    const finish = () => {
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      ws.off('error', onError);
      ws.off('open', onOpen);
    };
    const fail = (err: InspectorError) => {
      if (done) return;
      finish();
      ws.on('error', () => undefined); // terminate() on a connecting socket emits one more error
      ws.terminate();
      reject(err);
    };
    const onError = (err: Error) =>
      fail(
        new InspectorError('CONNECT_FAILED', `could not connect to ${url}: ${err.message}`, { cause: err }),
      );
    const onOpen = () => {
      if (done) return;
      finish();
      resolve(new CdpClient(ws, url, options));
    };
    ws.on('error', onError);
    ws.on('open', onOpen);
    if (options.signal?.aborted) onAbort();
  });
}

interface JsonListEntry {
  type?: string;
  webSocketDebuggerUrl?: string;
}

/** Ask the inspector's HTTP endpoint which targets it has; first Node target wins. */
export async function discoverNodeTarget(
  host: string,
  port: number,
  options: ConnectOptions = {},
): Promise<string> {
  assertHostAllowed(host, options.allowRemote);
  const listUrl = `http://${urlHost(host)}:${port}/json/list`;
  const body = await httpGetText(
    listUrl,
    options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    options.signal,
  ).catch((e: Error) => {
    throw e instanceof InspectorError
      ? e
      : new InspectorError(
          'CONNECT_FAILED',
          `could not reach the inspector at ${host}:${port}: ${e.message}`,
          { cause: e },
        );
  });
  let list: JsonListEntry[];
  try {
    list = JSON.parse(body) as JsonListEntry[];
  } catch {
    throw new InspectorError(
      'NO_TARGET',
      `${listUrl} did not answer with JSON; is ${host}:${port} an inspector port?`,
    );
  }
  const node = Array.isArray(list)
    ? list.find((t) => t.type === 'node' && t.webSocketDebuggerUrl)
    : undefined;
  if (!node?.webSocketDebuggerUrl) {
    throw new InspectorError('NO_TARGET', `the inspector at ${host}:${port} lists no Node.js target`);
  }
  // Node builds the URL from the Host header, but a proxy or 0.0.0.0 binding can make it
  // name another address; keep its path and use the address we know answered.
  const ws = new URL(node.webSocketDebuggerUrl);
  return `ws://${urlHost(host)}:${port}${ws.pathname}`;
}

/**
 * Let go of a process that lives on after us, healthy: switch off what would send us more
 * (Debugger: a scriptParsed for every script compiled; HeapProfiler: heap-stats pushes while
 * objects are tracked), then close once everything we sent has its answer. Node 20 can crash the
 * process with SIGSEGV when its inspector sends a message while it reads the end of our socket
 * (docs/v8-facts.md). V8 disables both for a session that goes anyway, so this changes nothing
 * else. Sent at once, behind whatever is outstanding: the inspector answers in order, so with
 * objects tracked one heap-stats push in progress is waited for, not one per step. Bounded by
 * `boundMs` in all: a V8 still busy then (walking a big heap) answers after our session is gone,
 * when there is no socket left to write. Through js-debug's proxy those domains are the user's
 * debug session's, and the socket that closes is js-debug's, not Node's: there it only waits.
 */
export async function disconnect(
  client: CdpClient,
  reason?: InspectorError,
  boundMs = QUIET_CLOSE_MS,
): Promise<void> {
  if (client.isClosed) return;
  const deadline = Date.now() + boundMs;
  if (!client.viaJsDebugProxy) {
    const bounded = { timeoutMs: boundMs };
    await Promise.all([
      client.call('HeapProfiler.disable', undefined, bounded).catch(() => undefined),
      client.call('Debugger.disable', undefined, bounded).catch(() => undefined),
    ]);
  }
  await client.closeQuietly(reason, Math.max(0, deadline - Date.now()));
}

/** GET a small text resource with a hard deadline on the whole exchange. */
export function httpGetText(url: string, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { signal, agent: false, headers: { connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        if ((res.statusCode ?? 0) >= 400)
          reject(new InspectorError('CONNECT_FAILED', `GET ${url} answered HTTP ${res.statusCode}`));
        else resolve(Buffer.concat(chunks).toString('utf8'));
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const timer = setTimeout(
      () =>
        req.destroy(new InspectorError('CONNECT_FAILED', `GET ${url} got no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('error', (e) => {
      clearTimeout(timer);
      if (signal?.aborted) reject(new InspectorError('CANCELLED', `GET ${url} was cancelled`));
      else reject(e);
    });
  });
}
