/** The pod network of one local node: a /24 per node slot, `.1` for the host side of the bridge. */
export interface NodeNetwork {
  readonly slot: number;
  readonly bridge: string;
  readonly hostIP: string;
  readonly prefix: string;
  readonly cidr: string;
  /**
   * The bridge's fixed MAC address. A Linux bridge with no address of its own takes the lowest MAC of its
   * ports and changes it whenever ports come and go; pods then hold a stale neighbour entry for the bridge
   * address (where the API server forwarder listens) and stall for 30-40 s. A set address never moves.
   */
  readonly mac: string;
}

/** 10.213.<slot>.0/24 on bridge krts<slot>: an address range used by nothing else on the machine. */
export function nodeNetwork(slot: number, base = '10.213'): NodeNetwork {
  if (!Number.isInteger(slot) || slot < 0 || slot > 255)
    throw new RangeError(`slot must be 0..255, got ${slot}`);
  const prefix = `${base}.${slot}`;
  return {
    slot,
    bridge: `krts${slot}`,
    hostIP: `${prefix}.1`,
    prefix,
    cidr: `${prefix}.0/24`,
    mac: bridgeMac(slot),
  };
}

/** A locally administered unicast MAC (02:…) for a slot's bridge: 02:6b:72:74 ("krt") then the slot. */
export function bridgeMac(slot: number): string {
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return `02:6b:72:74:00:${hex(slot)}`;
}

/** Hands out pod IPs .2-.254 round-robin, so a freed address is not reused at once. */
export class IpPool {
  readonly #prefix: string;
  readonly #used = new Set<number>();
  #next = 2;
  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  allocate(): string {
    for (let i = 0; i < 253; i++) {
      const n = this.#next;
      this.#next = n >= 254 ? 2 : n + 1;
      if (!this.#used.has(n)) {
        this.#used.add(n);
        return `${this.#prefix}.${n}`;
      }
    }
    throw new Error(`no free pod IP left in ${this.#prefix}.0/24`);
  }

  release(ip: string): void {
    const n = Number(ip.slice(this.#prefix.length + 1));
    if (ip.startsWith(`${this.#prefix}.`)) this.#used.delete(n);
  }

  get size(): number {
    return this.#used.size;
  }
}
