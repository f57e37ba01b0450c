/** Types of push.js, the browser client of the push server. */

export interface PushClientOptions {
  /** WebSocket address of the push server, e.g. "ws://127.0.0.1:1234" or "wss://push.example.com". */
  url: string;
  /** Recipe mode: the uid, sent as the first message. Give this or token. */
  uid?: string | number;
  /**
   * Token mode: a token made by Push\Client::token(), or a function returning one
   * (it may be async); the function is called before every connect and reconnect.
   */
  token?: string | (() => string | Promise<string>);
  /** Send the token as ?token= in the URL instead of as the first message. Default false. */
  tokenInQuery?: boolean;
  /** Decode each payload with JSON.parse when it parses; otherwise the string as is. Default false. */
  json?: boolean;
  /** Ask the server for missed messages (seq=1, last=...). Default true. */
  resume?: boolean;
  /** Id to resume from on the first connect, e.g. one kept in sessionStorage. Default null. */
  lastId?: string | null;
  /** Backoff: the first retry waits up to this many ms (full jitter). Default 1000. */
  minDelay?: number;
  /** Backoff: no retry waits longer than this many ms. Default 30000. */
  maxDelay?: number;
  /**
   * Reconnect when nothing arrived for this many ms; 0 = off (default). Only useful when
   * the server sends something periodically (see docs/CLIENT.md).
   */
  idleTimeout?: number;
  /** Connect from the constructor. Default true; otherwise call connect(). */
  autoConnect?: boolean;
}

export type PushState = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';

export interface PushClientEvents {
  /** The WebSocket opened and the uid or token was sent. */
  open: () => void;
  /** A pushed message; id is "epoch-seq" for replayable uid messages, null otherwise. */
  message: (data: any, id: string | null) => void;
  /** The connection closed (it reconnects unless the state is now "closed"). */
  close: (code: number, reason: string) => void;
  /** A reconnect is scheduled: attempt number (1, 2, ...) and delay in ms. */
  reconnect: (attempt: number, delay: number) => void;
  /** Messages were missed and are no longer available: reload the state. id is the new position. */
  gap: (id: string) => void;
  /** The server refused the uid or token (4001-4005); no more reconnects. */
  refused: (code: number, reason: string) => void;
  /** A WebSocket error, or the token function threw. */
  error: (error: unknown) => void;
}

export declare class PushClient {
  constructor(options: PushClientOptions);
  readonly options: Required<Omit<PushClientOptions, 'uid' | 'token'>> & Pick<PushClientOptions, 'uid' | 'token'>;
  /** Id of the last message received; sent as last= on reconnect. */
  lastId: string | null;
  readonly state: PushState;
  /** Reconnect attempts since the last stable connection. */
  readonly attempt: number;
  /** Adds a listener; returns a function that removes it. */
  on<E extends keyof PushClientEvents>(event: E, listener: PushClientEvents[E]): () => void;
  off<E extends keyof PushClientEvents>(event: E, listener: PushClientEvents[E]): this;
  /** Connects now (first connect, or skips the wait before the next attempt). */
  connect(): void;
  /** Sends to the server's onMessage callback; objects are sent as JSON. False if not open. */
  send(data: string | ArrayBuffer | ArrayBufferView | Blob | object): boolean;
  /** Closes for good. */
  close(code?: number, reason?: string): void;
}

export default PushClient;

declare global {
  interface Window {
    /** Set by push.min.js. */
    PushClient: typeof PushClient;
  }
}
