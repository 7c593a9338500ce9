/**
 * resource.Quantity's JSON form, as Go writes it after reading a quantity: the value rounded up (away from
 * zero) to nano units, then printed canonically (apimachinery's CanonicalizeBytes): decimal values with the
 * largest SI suffix whose exponent is a multiple of 3 that keeps an integer mantissa, `BinarySI` values
 * (written with Ki..Ei) in powers of 1024 when they are integers of at least 1024, and `e<n>` values as such.
 */
type Format = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

/** The decimal SI suffixes and their powers of ten. */
export const decimalSuffixes: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const binarySuffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const decimalByExponent = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));

/** Go's parseQuantityString: sign, integer digits, optional fraction, suffix; undefined when malformed. */
function split(text: string): { negative: boolean; num: string; denom: string; suffix: string } | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?([eEinumkKMGTP]*(?:[+-]?\d+)?)$/.exec(text);
  if (!m) return undefined;
  return { negative: m[1] === '-', num: m[2]!, denom: m[3] ?? '', suffix: m[4]! };
}

function interpret(suffix: string): { base: 2 | 10; exponent: number; format: Format } | undefined {
  if (suffix in decimalSuffixes) return { base: 10, exponent: decimalSuffixes[suffix]!, format: 'DecimalSI' };
  const bin = binarySuffixes.indexOf(suffix);
  if (bin > 0) return { base: 2, exponent: bin * 10, format: 'BinarySI' };
  const exp = /^[eE]([+-]?\d+)$/.exec(suffix);
  if (exp) return { base: 10, exponent: Number(exp[1]), format: 'DecimalExponent' };
  return undefined;
}

/** Integer division rounding away from zero. */
function divAway(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d === n ? q : n < 0n ? q - 1n : q + 1n;
}

/**
 * The string Go's json.Marshal writes for a resource.Quantity read from `input` (a string or a JSON number).
 * Throws when the input is not a quantity (Go fails to decode the object then).
 */
export function goQuantityString(input: string | number): string {
  const text = String(input).trim();
  const parts = text === '' ? undefined : split(text);
  const unit = parts && interpret(parts.suffix);
  if (!parts || !unit) throw new Error(`quantity ${JSON.stringify(text)}: not a valid Kubernetes quantity`);
  const digits = BigInt((parts.num || '0') + parts.denom);
  let numerator = (parts.negative ? -digits : digits) * 10n ** 9n; // in nano units
  let denominator = 10n ** BigInt(parts.denom.length);
  if (unit.base === 2) numerator *= 2n ** BigInt(unit.exponent);
  else if (unit.exponent >= 0) numerator *= 10n ** BigInt(unit.exponent);
  else denominator *= 10n ** BigInt(-unit.exponent);
  const nanos = divAway(numerator, denominator);
  if (nanos === 0n) return '0';

  let format = unit.format;
  const billion = 10n ** 9n;
  if (format === 'BinarySI') {
    const abs = nanos < 0n ? -nanos : nanos;
    if (abs < 1024n * billion || nanos % billion !== 0n) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let amount = nanos / billion;
    let count = 0;
    while (amount % 1024n === 0n) {
      amount /= 1024n;
      count++;
    }
    return `${amount}${binarySuffixes[count] ?? ''}`;
  }
  let amount = nanos;
  let exponent = -9;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent++;
  }
  while (exponent % 3 !== 0) {
    amount *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
  // Go prints no suffix when the exponent is beyond E (10^18); kept for byte equality.
  return `${amount}${decimalByExponent.get(exponent) ?? ''}`;
}
