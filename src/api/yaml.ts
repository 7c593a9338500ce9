/**
 * The `yaml` package's `parse`, the package loaded on first use. It is about 70 modules and several MiB of RSS
 * (docs/performance.md), and an operator that runs in the cluster with no --config file and only RayClusters
 * never parses YAML: the kubeconfig, the config file, runtimeEnvYAML and serveConfigV2 are what need it.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let yaml: typeof Yaml | undefined;

export function parseYaml(text: string): ReturnType<typeof Yaml.parse> {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yaml.parse(text);
}
