/**
 * The `kubectl ray` command tree (KubeRay v1.5's plugin: same names, aliases, flags and defaults). Only data
 * here; each `run` imports its implementation on first use.
 */
import type { CommandDef } from './command.ts';
import type { FlagSpec } from './flags.ts';
import { examples } from './help.ts';

/** Ray version and image the plugin generates resources with (KubeRay v1.5's default). */
export const RAY_VERSION = '2.52.0';
export const RAY_IMAGE = `rayproject/ray:${RAY_VERSION}`;
export const TPU_ACCELERATOR = 'cloud.google.com/gke-tpu-accelerator';
export const TPU_TOPOLOGY = 'cloud.google.com/gke-tpu-topology';

const output: FlagSpec = {
  name: 'output',
  short: 'o',
  type: 'string',
  usage: 'Output format. One of: (json, yaml). Default: a table.',
};
const allNamespaces = (what: string): FlagSpec => ({
  name: 'all-namespaces',
  short: 'A',
  type: 'bool',
  usage: `If present, list the requested ${what} across all namespaces. Namespace in current context is ignored even if specified with --namespace.`,
});
const rayCluster = (usage: string): FlagSpec => ({ name: 'ray-cluster', short: 'c', type: 'string', usage });

const getCluster: CommandDef = {
  name: 'cluster',
  aliases: ['clusters'],
  use: 'cluster [NAME]',
  short: 'Get cluster information.',
  example: examples(`
    # List Ray clusters in the current namespace
    kubectl ray get cluster

    # List Ray clusters in all namespaces
    kubectl ray get cluster --all-namespaces

    # Show one Ray cluster as YAML
    kubectl ray get cluster my-raycluster -o yaml`),
  flags: [allNamespaces('clusters'), output],
  args: { max: 1 },
  completeArgs: 'raycluster',
  run: async (inv) => (await import('./cmd/get-cluster.ts')).getCluster(inv),
};

const getWorkerGroup: CommandDef = {
  name: 'workergroup',
  aliases: ['workergroups'],
  use: 'workergroup [GROUP] [(-c/--ray-cluster) RAYCLUSTER]',
  short: 'Get Ray worker groups',
  example: examples(`
    # Get worker groups in the default namespace
    kubectl ray get workergroup

    # Get worker groups in all namespaces
    kubectl ray get workergroup --all-namespaces

    # Get all worker groups in a namespace
    kubectl ray get workergroup --namespace my-namespace

    # Get all worker groups for Ray clusters named my-raycluster in all namespaces
    kubectl ray get workergroup --ray-cluster my-raycluster --all-namespaces

    # Get one worker group in a namespace for a Ray cluster
    kubectl ray get workergroup my-group --namespace my-namespace --ray-cluster my-raycluster`),
  flags: [rayCluster('Ray cluster'), allNamespaces('worker groups'), output],
  args: { max: 1 },
  completeFlags: { 'ray-cluster': 'raycluster' },
  run: async (inv) => (await import('./cmd/get-workergroup.ts')).getWorkerGroups(inv),
};

const getNode: CommandDef = {
  name: 'node',
  aliases: ['nodes'],
  use: 'node [NODE] [(-c|--ray-cluster) RAYCLUSTER]',
  short: 'Get Ray nodes',
  example: examples(`
    # Get nodes in the default namespace
    kubectl ray get node

    # Get nodes in all namespaces
    kubectl ray get node --all-namespaces

    # Get all nodes in a namespace for a Ray cluster
    kubectl ray get node --namespace my-namespace --ray-cluster my-raycluster

    # Get one node in a namespace for a Ray cluster
    kubectl ray get node my-node --namespace my-namespace --ray-cluster my-raycluster`),
  flags: [rayCluster('Ray cluster'), allNamespaces('nodes'), output],
  args: { max: 1 },
  completeFlags: { 'ray-cluster': 'raycluster' },
  run: async (inv) => (await import('./cmd/get-node.ts')).getNodes(inv),
};

const getToken: CommandDef = {
  name: 'token',
  use: 'token [CLUSTER NAME]',
  short: 'Get the auth token from the ray cluster.',
  example: examples(`
    # Print the Ray auth token of a cluster that uses token authentication
    kubectl ray get token my-raycluster`),
  args: { min: 1, max: 1 },
  completeArgs: 'raycluster',
  run: async (inv) => (await import('./cmd/get-token.ts')).getToken(inv),
};

const get: CommandDef = {
  name: 'get',
  aliases: ['list'],
  use: 'get',
  short: 'Display one or many Ray resources.',
  long: 'Prints a table of the most important information about the specified Ray resources.',
  children: [getCluster, getNode, getToken, getWorkerGroup],
};

/** --ray-version and --image (create cluster, create workergroup, job submit). */
const rayImageFlags: readonly FlagSpec[] = [
  { name: 'ray-version', type: 'string', default: RAY_VERSION, usage: 'Ray version to use' },
  { name: 'image', type: 'string', default: RAY_IMAGE, usage: 'container image to use' },
];

/** The head's resources (create cluster, job submit). */
const headResourceFlags: readonly FlagSpec[] = [
  { name: 'head-cpu', type: 'string', default: '2', usage: 'number of CPUs in the Ray head' },
  { name: 'head-memory', type: 'string', default: '4Gi', usage: 'amount of memory in the Ray head' },
  { name: 'head-gpu', type: 'string', default: '0', usage: 'number of GPUs in the Ray head' },
];

/** A worker's resources, "in each <groupWord>" (create cluster, create workergroup, job submit). */
const workerResourceFlags = (groupWord: string): FlagSpec[] => [
  { name: 'worker-cpu', type: 'string', default: '2', usage: `number of CPUs in each ${groupWord}` },
  { name: 'worker-memory', type: 'string', default: '4Gi', usage: `amount of memory in each ${groupWord}` },
  { name: 'worker-gpu', type: 'string', default: '0', usage: `number of GPUs in each ${groupWord}` },
];

const verbose: FlagSpec = { name: 'verbose', short: 'v', type: 'bool', usage: 'verbose output' };

const workerFlags = (groupWord: string): FlagSpec[] => [
  ...workerResourceFlags(groupWord),
  {
    name: 'worker-tpu',
    type: 'string',
    default: '0',
    usage: `number of TPUs in each ${groupWord}. If greater than 0, you must also set ${TPU_ACCELERATOR} and ${TPU_TOPOLOGY} in --worker-node-selectors.`,
  },
  {
    name: 'worker-ray-start-params',
    type: 'map',
    usage:
      "a map of arguments to the Ray workers' 'ray start' entrypoint, e.g. '--worker-ray-start-params metrics-export-port=8080,num-cpus=2'",
  },
  {
    name: 'worker-node-selectors',
    type: 'map',
    usage:
      'Node selectors to apply to all worker pods (e.g. --worker-node-selectors cloud.google.com/gke-accelerator=nvidia-l4,cloud.google.com/gke-nodepool=my-node-pool)',
  },
];

const createCluster: CommandDef = {
  name: 'cluster',
  use: 'cluster [CLUSTERNAME]',
  short: 'Create Ray cluster',
  long: 'Create a Ray cluster with the given name and options.',
  example: examples(`
    # Create a Ray cluster using default values
    kubectl ray create cluster sample-cluster

    # Create a Ray cluster from flags input
    kubectl ray create cluster sample-cluster --ray-version ${RAY_VERSION} --image ${RAY_IMAGE} --head-cpu 1 --head-memory 5Gi --head-ephemeral-storage 10Gi --worker-replicas 3 --worker-cpu 1 --worker-memory 5Gi --worker-ephemeral-storage 10Gi

    # Create a Ray cluster with K8s labels and annotations
    kubectl ray create cluster sample-cluster --labels app=ray,env=dev --annotations ttl-hours=24,owner=chthulu

    # Create a Ray cluster with TPU in default worker group
    kubectl ray create cluster sample-cluster --worker-tpu 1 --worker-node-selectors ${TPU_ACCELERATOR}=tpu-v5-lite-podslice,${TPU_TOPOLOGY}=1x1

    # Create a Ray cluster from a YAML configuration file
    kubectl ray create cluster sample-cluster --file ray-cluster-config.yaml

    # Create a Ray cluster and wait until it is provisioned
    kubectl ray create cluster sample-cluster --wait --timeout 10m`),
  flags: [
    { name: 'labels', type: 'map', usage: 'K8s labels (e.g. --labels app=ray,env=dev)' },
    {
      name: 'annotations',
      type: 'map',
      usage: 'K8s annotations (e.g. --annotations ttl-hours=24,owner=chthulu)',
    },
    ...rayImageFlags,
    ...headResourceFlags,
    { name: 'head-ephemeral-storage', type: 'string', usage: 'amount of ephemeral storage in the Ray head' },
    {
      name: 'head-ray-start-params',
      type: 'map',
      usage:
        "a map of arguments to the Ray head's 'ray start' entrypoint, e.g. '--head-ray-start-params dashboard-host=0.0.0.0,num-cpus=2'",
    },
    {
      name: 'head-node-selectors',
      type: 'map',
      usage:
        'Node selectors to apply to all head pods in the cluster (e.g. --head-node-selectors cloud.google.com/gke-accelerator=nvidia-l4)',
    },
    { name: 'worker-replicas', type: 'int', default: 1, usage: 'desired worker group replicas' },
    ...workerFlags('worker group replica'),
    {
      name: 'worker-ephemeral-storage',
      type: 'string',
      usage: 'amount of ephemeral storage in each worker group replica',
    },
    {
      name: 'num-of-hosts',
      type: 'int',
      default: 1,
      usage: 'number of hosts in default worker group per replica',
    },
    {
      name: 'autoscaler',
      type: 'string',
      valueName: 'enum',
      usage: 'autoscaler to use, supports: "v1", "v2"',
    },
    { name: 'file', type: 'string', usage: 'path to a YAML file containing Ray cluster configuration' },
    { name: 'dry-run', type: 'bool', usage: 'print the generated YAML instead of creating the cluster' },
    {
      name: 'wait',
      type: 'bool',
      usage:
        'wait for the cluster to be provisioned before returning. Returns an error if the cluster is not provisioned by the timeout specified',
    },
    { name: 'timeout', type: 'duration', default: 300_000, usage: 'the timeout for --wait' },
  ],
  args: { max: 1 },
  run: async (inv) => (await import('./cmd/create-cluster.ts')).createCluster(inv),
};

const createWorkerGroup: CommandDef = {
  name: 'workergroup',
  use: 'workergroup (WORKERGROUP) [(-c|--ray-cluster) RAYCLUSTER]',
  short: 'Create worker group in an existing Ray cluster',
  long: 'Adds a worker group to an existing Ray cluster.',
  example: examples(`
    # Create a worker group in an existing Ray cluster with defaults
    kubectl ray create workergroup example-group --ray-cluster sample-cluster

    # Create a worker group in an existing Ray cluster
    kubectl ray create workergroup example-group --ray-cluster sample-cluster --image ${RAY_IMAGE} --worker-cpu 2 --worker-memory 5Gi

    # Create a worker group in an existing Ray cluster with TPU
    kubectl ray create workergroup example-tpu-group --ray-cluster sample-cluster --worker-tpu 1 --worker-node-selectors ${TPU_ACCELERATOR}=tpu-v5-lite-podslice,${TPU_TOPOLOGY}=1x1`),
  flags: [
    rayCluster('Ray cluster to add a worker group to'),
    ...rayImageFlags,
    { name: 'worker-replicas', type: 'int', default: 1, usage: 'desired replicas' },
    {
      name: 'num-of-hosts',
      type: 'int',
      default: 1,
      usage: 'number of hosts in the worker group per replica',
    },
    { name: 'worker-min-replicas', type: 'int', default: 1, usage: 'minimum number of replicas' },
    { name: 'worker-max-replicas', type: 'int', default: 10, usage: 'maximum number of replicas' },
    ...workerFlags('replica'),
  ],
  args: { max: 1 },
  completeFlags: { 'ray-cluster': 'raycluster' },
  run: async (inv) => (await import('./cmd/create-workergroup.ts')).createWorkerGroup(inv),
};

const create: CommandDef = {
  name: 'create',
  use: 'create',
  short: 'Create Ray resources',
  long: 'Create Ray resources: a Ray cluster, or a worker group in an existing Ray cluster.',
  children: [createCluster, createWorkerGroup],
};

const scaleCluster: CommandDef = {
  name: 'cluster',
  use: 'cluster (RAYCLUSTER) (-w/--worker-group WORKERGROUP) [(-r/--replicas N)] [--min-replicas N] [--max-replicas N]',
  short: 'Scale a Ray cluster',
  long: 'Scale a Ray cluster by worker group: set its replicas, minimum and/or maximum replicas.',
  example: examples(`
    # Scale a Ray cluster by setting one of its worker groups to 3 replicas
    kubectl ray scale cluster my-cluster --worker-group my-group --replicas 3

    # Let the autoscaler use between 1 and 8 replicas of a worker group
    kubectl ray scale cluster my-cluster --worker-group my-group --min-replicas 1 --max-replicas 8`),
  flags: [
    { name: 'worker-group', short: 'w', type: 'string', usage: 'worker group (required)' },
    {
      name: 'replicas',
      short: 'r',
      type: 'int',
      default: -1,
      usage: 'Desired number of replicas in worker group',
    },
    { name: 'min-replicas', type: 'int', default: -1, usage: 'Minimum number of replicas in worker group' },
    { name: 'max-replicas', type: 'int', default: -1, usage: 'Maximum number of replicas in worker group' },
  ],
  args: { min: 1, max: 1 },
  completeArgs: 'raycluster',
  run: async (inv) => (await import('./cmd/scale-cluster.ts')).scaleCluster(inv),
};

const scale: CommandDef = {
  name: 'scale',
  use: 'scale',
  short: 'Scale a Ray resource',
  long: 'Scale a Ray resource: the worker groups of a Ray cluster.',
  children: [scaleCluster],
};

const del: CommandDef = {
  name: 'delete',
  use: 'delete (RAYCLUSTER | TYPE/NAME)',
  short: 'Delete Ray resources',
  long: 'Deletes Ray custom resources such as RayCluster, RayService, or RayJob',
  example: examples(`
    # Delete Ray cluster
    kubectl ray delete sample-raycluster

    # Delete Ray cluster with specificed Ray resource
    kubectl ray delete raycluster/sample-raycluster

    # Delete RayJob
    kubectl ray delete rayjob/sample-rayjob

    # Delete RayService without a confirmation prompt
    kubectl ray delete rayservice/sample-rayservice --yes`),
  flags: [
    { name: 'yes', short: 'y', type: 'bool', usage: "answer 'yes' to all prompts and run non-interactively" },
  ],
  args: { min: 1 },
  completeArgs: 'resource',
  run: async (inv) => (await import('./cmd/delete.ts')).deleteResources(inv),
};

const session: CommandDef = {
  name: 'session',
  use: 'session (RAYCLUSTER | TYPE/NAME)',
  short: 'Forward local ports to the Ray resources.',
  long: 'Forward local ports to the Ray resources.\n\nForward different local ports depending on the resource type: RayCluster, RayJob, or RayService.',
  example: examples(`
    # Without specifying the resource type, forward local ports to the Ray cluster
    kubectl ray session my-raycluster

    # Forward local ports to the Ray cluster
    kubectl ray session raycluster/my-raycluster

    # Forward local ports to the Ray cluster used for the Ray job
    kubectl ray session rayjob/my-rayjob

    # Forward local ports to the Ray cluster used for the RayService resource
    kubectl ray session rayservice/my-rayservice`),
  flags: [
    verbose,
    {
      name: 'address',
      type: 'string',
      default: '127.0.0.1',
      usage: 'local address to listen on (kubectl port-forward --address)',
    },
    {
      name: 'port-offset',
      type: 'int',
      default: 0,
      usage: 'add this to every local port (e.g. 10000: dashboard on 18265), when the usual ports are taken',
    },
  ],
  args: { min: 1, max: 1 },
  completeArgs: 'resource',
  run: async (inv) => (await import('./cmd/session.ts')).session(inv),
};

const log: CommandDef = {
  name: 'log',
  aliases: ['logs'],
  use: 'log (RAYCLUSTER | TYPE/NAME) [--out-dir DIR_PATH] [--node-type all|head|worker] [--link gke]',
  short: 'Get Ray cluster logs',
  long: 'Download logs from a Ray cluster and save them to a directory',
  example: examples(`
    # Download logs from a Ray cluster and save them to a directory with the Ray cluster's name. Retrieves 'all' logs
    kubectl ray log my-raycluster

    # Download logs from a Ray cluster and save them to a directory named /path/to/dir
    kubectl ray log my-raycluster --out-dir /path/to/dir

    # Download logs from a Ray cluster, but only for the head node
    kubectl ray log my-raycluster --node-type head

    # Download logs from a RayJob's cluster, but only for the worker nodes
    kubectl ray log rayjob/my-rayjob --node-type worker

    # Print a link to Google Cloud Console to view logs for a Ray cluster
    kubectl ray log my-raycluster --link gke`),
  flags: [
    { name: 'out-dir', type: 'string', usage: 'directory to save the logs to' },
    {
      name: 'node-type',
      type: 'string',
      default: 'all',
      usage: "type of Ray node from which to download log, supports 'worker', 'head', or 'all'",
    },
    { name: 'link', type: 'string', usage: "print a link to a cloud console to view logs, supports: 'gke'" },
  ],
  args: { min: 1, max: 1 },
  completeArgs: 'resource',
  run: async (inv) => (await import('./cmd/log.ts')).downloadLogs(inv),
};

const jobSubmit: CommandDef = {
  name: 'submit',
  use: 'submit [OPTIONS] -f/--filename RAYJOB_YAML -- ENTRYPOINT',
  short: 'Submit Ray job to Ray cluster',
  long: `Submit Ray job to Ray cluster as one would using Ray CLI e.g. 'ray job submit ENTRYPOINT'. Command supports all options that 'ray job submit' supports.
If Ray cluster is already setup, use 'kubectl ray session' instead.

If no RayJob YAML file is specified, the command will create a default RayJob for the user.

Command will apply RayJob CR and also submit the Ray job. RayJob CR is required.`,
  example: examples(`
    # Submit Ray job with working-directory
    kubectl ray job submit -f rayjob.yaml --working-dir /path/to/working-dir/ -- python my_script.py

    # Submit Ray job with runtime Env file and working directory
    kubectl ray job submit -f rayjob.yaml --working-dir /path/to/working-dir/ --runtime-env /runtimeEnv.yaml -- python my_script.py

    # Submit generated Ray job with default values and with runtime Env file and working directory
    kubectl ray job submit --name rayjob-sample --working-dir /path/to/working-dir/ --runtime-env /runtimeEnv.yaml -- python my_script.py

    # Generate Ray job with specifications and submit Ray job with runtime Env file and working directory
    kubectl ray job submit --name rayjob-sample --ray-version ${RAY_VERSION} --image ${RAY_IMAGE} --head-cpu 1 --head-memory 5Gi --worker-replicas 3 --worker-cpu 1 --worker-memory 5Gi --runtime-env path/to/runtimeEnv.yaml -- python my_script.py

    # Generate Ray job with specifications and print out the generated RayJob YAML
    kubectl ray job submit --dry-run --name rayjob-sample --working-dir . -- python my_script.py`),
  flags: [
    { name: 'filename', short: 'f', type: 'string', usage: 'Path and name of the Ray Job YAML file' },
    {
      name: 'address',
      type: 'string',
      usage: 'Address of the Ray dashboard to submit to (default: port-forward the cluster head)',
    },
    {
      name: 'submission-id',
      type: 'string',
      usage: 'ID to specify for the Ray job. If not provided, one will be generated',
    },
    { name: 'runtime-env', type: 'string', usage: 'Path and name to the runtime env YAML file.' },
    { name: 'working-dir', type: 'string', usage: 'Directory containing files that your job will run in' },
    {
      name: 'headers',
      type: 'string',
      usage: 'Used to pass headers through http/s to Ray Cluster. Must be JSON formatting',
    },
    {
      name: 'runtime-env-json',
      type: 'string',
      usage: 'JSON-serialized runtime_env dictionary. Precedence over Ray job CR.',
    },
    {
      name: 'verify',
      type: 'string',
      usage:
        "Boolean indication to verify the server's TLS certificate or a path to a file or directory of trusted certificates.",
    },
    {
      name: 'entrypoint-resources',
      type: 'string',
      usage: 'JSON-serialized dictionary mapping resource name to resource quantity',
    },
    {
      name: 'metadata-json',
      type: 'string',
      usage: 'JSON-serialized dictionary of metadata to attach to the job.',
    },
    {
      name: 'log-style',
      type: 'string',
      usage: "Specific to 'ray job submit'. Options are 'auto | record | pretty'",
    },
    {
      name: 'log-color',
      type: 'string',
      usage: "Specific to 'ray job submit'. Options are 'auto | false | true'",
    },
    {
      name: 'entrypoint-num-cpus',
      type: 'float',
      usage: 'Number of CPUs reserved for the for the entrypoint command',
    },
    {
      name: 'entrypoint-num-gpus',
      type: 'float',
      usage: 'Number of GPUs reserved for the for the entrypoint command',
    },
    { name: 'entrypoint-memory', type: 'int', usage: 'Amount of memory reserved for the entrypoint command' },
    { name: 'no-wait', type: 'bool', usage: 'If present, will not stream logs and wait for job to finish' },
    { name: 'name', type: 'string', usage: 'Ray job name' },
    ...rayImageFlags,
    ...headResourceFlags,
    { name: 'head-node-selectors', type: 'map', usage: 'Node selectors to apply to the head pod' },
    { name: 'worker-replicas', type: 'int', default: 1, usage: 'desired worker group replicas' },
    ...workerResourceFlags('worker group replica'),
    { name: 'worker-node-selectors', type: 'map', usage: 'Node selectors to apply to the worker pods' },
    {
      name: 'ttl-seconds-after-finished',
      type: 'int',
      default: 0,
      usage: 'TTL seconds after finished. Only used when the RayJob is generated (not with --filename)',
    },
    {
      name: 'dry-run',
      type: 'bool',
      usage:
        'print the generated YAML instead of creating the cluster. Only works when filename is not provided',
    },
    verbose,
  ],
  run: async (inv) => (await import('./cmd/job-submit.ts')).submitJob(inv),
};

const job: CommandDef = {
  name: 'job',
  use: 'job',
  short: 'Ray job operations',
  long: 'Submit Ray jobs to a Ray cluster on Kubernetes.',
  children: [jobSubmit],
};

const version: CommandDef = {
  name: 'version',
  use: 'version',
  short: 'Output the version of the Ray kubectl plugin and KubeRay operator',
  example: examples(`
    # Print the plugin's version and the version of the KubeRay operator in the cluster
    kubectl ray version`),
  args: { max: 0 },
  run: async (inv) => (await import('./cmd/version.ts')).version(inv),
};

const completion: CommandDef = {
  name: 'completion',
  use: 'completion (bash|zsh)',
  short: 'Output shell completion code for the specified shell (bash or zsh)',
  long: `Output shell completion code for the specified shell (bash or zsh).
The output must be evaluated to provide interactive completion of kubectl ray commands.`,
  example: examples(`
    # Load completion for the current bash session
    source <(kubectl ray completion bash)

    # Load completion for the current zsh session
    source <(kubectl ray completion zsh)

    # kubectl itself completes "kubectl ray <TAB>" through the kubectl_complete-ray executable in bin/`),
  args: { min: 1, max: 1 },
  run: async (inv) => (await import('./completion.ts')).completionScript(inv),
};

export const root: CommandDef = {
  name: 'ray',
  use: 'ray',
  short: 'ray kubectl plugin',
  long: 'Manage RayCluster resources.',
  children: [completion, create, del, get, job, log, scale, session, version],
};
