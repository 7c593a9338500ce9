/**
 * Kubernetes name and label validators with apimachinery's error texts (KubeRay embeds them in its messages).
 */

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  const ex = examples.map((e) => `'${e}', `).join(' or ');
  return `${msg} (e.g. ${ex}regex used for validation is '${fmt}')`;
}

const maxLen = (n: number) => `must be no more than ${n} characters`;

const DNS1035_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;

const full = (fmt: string) => new RegExp(`^${fmt}$`);

/** A name format: its longest length, its pattern and apimachinery's text (with examples) when it does not match. */
interface NameFormat {
  readonly max: number;
  readonly fmt: string;
  readonly what: string;
  readonly examples: readonly string[];
}

function checkName(value: string, f: NameFormat): string[] {
  const errs: string[] = [];
  if (value.length > f.max) errs.push(maxLen(f.max));
  if (!full(f.fmt).test(value)) errs.push(regexError(f.what, f.fmt, ...f.examples));
  return errs;
}

const DNS1035_LABEL: NameFormat = {
  max: 63,
  fmt: DNS1035_FMT,
  what: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  examples: ['my-name', 'abc-123'],
};

const DNS1123_LABEL: NameFormat = {
  max: 63,
  fmt: DNS1123_LABEL_FMT,
  what: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  examples: ['my-name', '123-abc'],
};

const DNS1123_SUBDOMAIN: NameFormat = {
  max: 253,
  fmt: DNS1123_SUBDOMAIN_FMT,
  what: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  examples: ['example.com'],
};

const LABEL_VALUE: NameFormat = {
  max: 63,
  fmt: LABEL_VALUE_FMT,
  what: "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  examples: ['MyValue', 'my_value', '12345'],
};

export const isDNS1035Label = (value: string): string[] => checkName(value, DNS1035_LABEL);
export const isDNS1123Label = (value: string): string[] => checkName(value, DNS1123_LABEL);
export const isDNS1123Subdomain = (value: string): string[] => checkName(value, DNS1123_SUBDOMAIN);
export const isValidLabelValue = (value: string): string[] => checkName(value, LABEL_VALUE);

/** A label key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const e of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${e}`);
  } else {
    return [
      `${regexError(
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED_NAME_FMT,
        'MyName',
        'my.name',
        '123-abc',
      )} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLen(63)}`);
  if (name.length > 0 && !full(QUALIFIED_NAME_FMT).test(name)) {
    errs.push(
      `name part ${regexError(
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED_NAME_FMT,
        'MyName',
        'my.name',
        '123-abc',
      )}`,
    );
  }
  return errs;
}

/** Go's `%v` of a []string: `[a b]`. */
export function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}
