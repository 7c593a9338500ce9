/**
 * Grants of charts/kuberay-operator that the integration and e2e suites are not expected to use, each with the
 * reason it stays (scripts/rbac-audit.ts reports them apart from unexplained unused grants; docs/reliability.md
 * has the same list). Keyed by `<verb> <group>/<resource>[/<subresource>]`, the core group empty.
 */
export const unusedExceptions: Record<string, string> = {};
