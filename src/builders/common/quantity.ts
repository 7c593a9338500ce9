/**
 * Kubernetes resource quantities, exactly enough for the builders: parse to an exact value in thousandths
 * (milli units, rounded up like resource.Quantity's MilliValue), add, and print in the canonical form.
 */
import { decimalSuffixes } from '../../api/go-quantity.ts';

type QuantityFormat = 'BinarySI' | 'DecimalSI';

export interface ParsedQuantity {
  /** Value × 1000, rounded up. */
  readonly milli: bigint;
  readonly format: QuantityFormat;
}

const binary: Readonly<Record<string, bigint>> = {
  Ki: 1024n,
  Mi: 1024n ** 2n,
  Gi: 1024n ** 3n,
  Ti: 1024n ** 4n,
  Pi: 1024n ** 5n,
  Ei: 1024n ** 6n,
};

const pattern = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/**
 * Parsed quantities by their text. Every reconcile sums the resources of every pod of its cluster (the status's
 * desired CPU and memory), from the same few texts ("1", "2Gi"); parsing each with BigInt arithmetic again
 * took a visible share of the operator's CPU in a scale-up. Bounded: emptied when full.
 */
const parsed = new Map<string, ParsedQuantity | undefined>();
const PARSED_MAX = 1000;

/** Parses a quantity; returns undefined when the text is not a valid quantity. */
export function parseQuantity(input: string | number | undefined): ParsedQuantity | undefined {
  if (input === undefined) return undefined;
  const text = String(input).trim();
  if (parsed.has(text)) return parsed.get(text);
  const q = parseText(text);
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(text, q);
  return q;
}

function parseText(text: string): ParsedQuantity | undefined {
  const m = pattern.exec(text);
  if (!m) return undefined;
  const [, sign, num, suffix = ''] = m;
  const [intPart = '0', fracPart = ''] = num!.split('.');
  const digits = BigInt((intPart || '0') + fracPart);
  let numerator = digits * 1000n; // value * 1000 * 10^fracLen
  let denominator = 10n ** BigInt(fracPart.length);
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in binary) {
    numerator *= binary[suffix]!;
    format = 'BinarySI';
  } else {
    const exp =
      suffix.startsWith('e') || suffix.startsWith('E') ? Number(suffix.slice(1)) : decimalSuffixes[suffix]!;
    if (exp >= 0) numerator *= 10n ** BigInt(exp);
    else denominator *= 10n ** BigInt(-exp);
  }
  let milli = numerator / denominator;
  if (milli * denominator !== numerator) milli += 1n; // round up
  return Object.freeze({ milli: sign === '-' ? -milli : milli, format });
}

/** The integer value rounded up (resource.Quantity.Value()). */
export function quantityValue(q: ParsedQuantity): bigint {
  const whole = q.milli / 1000n;
  return q.milli > 0n && whole * 1000n !== q.milli ? whole + 1n : whole;
}

export function addQuantities(a: ParsedQuantity | undefined, b: ParsedQuantity): ParsedQuantity {
  if (!a) return b;
  return { milli: a.milli + b.milli, format: a.format };
}

export function scaleQuantity(q: ParsedQuantity, factor: number): ParsedQuantity {
  return { milli: q.milli * BigInt(factor), format: q.format };
}

/** The canonical string, as resource.Quantity.String() prints it for these values. */
export function formatQuantity(q: ParsedQuantity): string {
  if (q.milli === 0n) return '0';
  const neg = q.milli < 0n;
  const abs = neg ? -q.milli : q.milli;
  const sign = neg ? '-' : '';
  if (abs % 1000n === 0n) {
    const value = abs / 1000n;
    if (q.format === 'BinarySI') {
      if (value < 1024n) return `${sign}${value}`;
      const units = ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const;
      for (const u of units) if (value % binary[u]! === 0n) return `${sign}${value / binary[u]!}${u}`;
    }
    const units: Array<[string, bigint]> = [
      ['E', 10n ** 18n],
      ['P', 10n ** 15n],
      ['T', 10n ** 12n],
      ['G', 10n ** 9n],
      ['M', 10n ** 6n],
      ['k', 10n ** 3n],
    ];
    for (const [u, f] of units) if (value % f === 0n) return `${sign}${value / f}${u}`;
    return `${sign}${value}`;
  }
  return `${sign}${abs}m`;
}
