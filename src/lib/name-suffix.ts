/** The alphabet of apimachinery's rand.String (no vowels, no confusable digits). */
export const randomAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A random name suffix as Kubernetes generates them (apimachinery's rand.String): `length` characters of
 * `randomAlphabet`, drawing from `random` (returns [0,1), default Math.random). The one suffix generator.
 */
export function randomSuffix(random: () => number = Math.random, length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += randomAlphabet[Math.floor(random() * randomAlphabet.length)]!;
  return out;
}
