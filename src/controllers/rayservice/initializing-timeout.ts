import { Annotations } from '../../api/constants.ts';
import { parseInitializingTimeout as parseAnnotation } from '../../api/validation/rayservice.ts';

/**
 * Parses `ray.io/initializing-timeout`: a positive Go duration (`30m`, `1h30m`, `90s`) or a positive integer
 * number of seconds (the one parser of src/api/validation). Returns milliseconds, or an Error naming the
 * annotation and the reason.
 */
export function parseInitializingTimeout(value: string): number | Error {
  const { ms } = parseAnnotation({ [Annotations.initializingTimeout]: value.trim() });
  return (
    ms ??
    new Error(
      `annotation ray.io/initializing-timeout must be a positive duration (e.g. 30m, 1h) or a positive integer number of seconds, got "${value}"`,
    )
  );
}
