/**
 * The operator's user agent: `kuberay-operator/<version>`, followed by ` (instance <name>)` when the process was
 * given an instance name (tests name every operator they start, so the API server's audit log tells the
 * operators apart from each other and from the test code; docs/reliability.md).
 */
export function operatorUserAgent(version: string, instance?: string): string {
  const base = `kuberay-operator/${version}`;
  return instance ? `${base} (instance ${instance.replace(/[()\r\n]/g, '_')})` : base;
}

/** The instance name in an operator's user agent, or undefined when the user agent names none. */
export function operatorInstanceOf(userAgent: string | undefined): string | undefined {
  return /^kuberay-operator\/\S+ \(instance ([^()]+)\)$/.exec(userAgent ?? '')?.[1];
}
