/**
 * Exact decimal arithmetic on the numbers events carry. Sums are kept as decimal strings and added as
 * scaled integers, so that a sum does not depend on the order its terms arrived in (floating point
 * addition does) and equals Postgres' numeric sum of the same JSON numbers.
 */

interface Scaled {
  readonly units: bigint;
  /** The value is units × 10^-scale. */
  readonly scale: number;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

function parse(text: string): Scaled {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`not a finite decimal: ${text}`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  const scale = fraction.length - Number(exponent);
  const digits = BigInt(`${sign}${whole}${fraction}`);
  return scale >= 0 ? { units: digits, scale } : { units: digits * 10n ** BigInt(-scale), scale: 0 };
}

function rescale(value: Scaled, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

function format({ units, scale }: Scaled): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** The exact decimal text of a finite number (its shortest round-trip spelling, as JSON writes it). */
export function decimalOf(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return format(parse(String(value)));
}

/** a + b, exactly. */
export function addDecimal(a: string, b: number | string): string {
  const x = parse(a);
  const y = parse(typeof b === 'number' ? String(b) : b);
  const scale = Math.max(x.scale, y.scale);
  return format({ units: rescale(x, scale) + rescale(y, scale), scale });
}

/** Rounded half up (towards +∞ on a tie) to `decimals` places, exactly. */
export function roundDecimal(value: string, decimals: number): string {
  const x = parse(value);
  if (x.scale <= decimals) return format(x);
  const divisor = 10n ** BigInt(x.scale - decimals);
  // floor((units + divisor/2) / divisor), with BigInt division truncating towards zero.
  const shifted = x.units * 2n + divisor;
  const twice = divisor * 2n;
  const quotient = shifted >= 0n ? shifted / twice : -((-shifted + twice - 1n) / twice);
  return format({ units: quotient, scale: decimals });
}

/** A float rounded half up to `decimals` places the way the platform always has: Math.round(v × 10^d) / 10^d. */
export function roundHalfUp(value: number, decimals: number | undefined): number {
  if (decimals === undefined) return value;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
