import type { Container, EnvVar } from '../../api/index.ts';

export function hasEnv(env: readonly EnvVar[] | undefined, name: string): boolean {
  return (env ?? []).some((e) => e.name === name);
}

export function envValue(env: readonly EnvVar[] | undefined, name: string): string | undefined {
  return (env ?? []).find((e) => e.name === name)?.value;
}

/** Appends each variable whose name is not already present. */
export function appendEnvIfAbsent(env: EnvVar[], ...vars: EnvVar[]): EnvVar[] {
  for (const v of vars) if (!hasEnv(env, v.name)) env.push(v);
  return env;
}

export function fieldRef(name: string, fieldPath: string): EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}

export function hasMountAt(container: Container, path: string): boolean {
  return (container.volumeMounts ?? []).some((m) => m.mountPath === path);
}
