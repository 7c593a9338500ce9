import { readFileSync } from 'node:fs';
import { type Clock, systemClock } from '../lib/clock.ts';

/** How long a token read from its file is used before the file is read again (client-go: one minute). */
const REREAD_MS = 60_000;

/**
 * A bearer token kept in a file (a kubeconfig's `tokenFile`, or the in-cluster ServiceAccount token, which the
 * kubelet rotates in place). The file is read again once a minute and after a 401, not for every request: at
 * thousands of requests a minute that was a read syscall and a string copy each.
 */
export class FileTokenSource {
  readonly #path: string;
  readonly #read: (path: string) => string;
  readonly #clock: Clock;
  #token: string | undefined;
  #readAt = 0;

  constructor(path: string, options: { read?: (path: string) => string; clock?: Clock } = {}) {
    this.#path = path;
    this.#read = options.read ?? ((p) => readFileSync(p, 'utf8'));
    this.#clock = options.clock ?? systemClock;
  }

  async token(): Promise<string> {
    const now = this.#clock.now();
    if (this.#token === undefined || now - this.#readAt >= REREAD_MS) {
      this.#token = this.#read(this.#path).trim();
      this.#readAt = now;
    }
    return this.#token;
  }

  /** The server refused the token: read the file again on the next request. */
  invalidate(): void {
    this.#token = undefined;
  }
}
