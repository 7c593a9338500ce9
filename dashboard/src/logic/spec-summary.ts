import type { Plural, RayObject } from './kinds.ts';
import { workerGroupsOf } from './scale.ts';

type Row = readonly [label: string, value: string];

const text = (v: unknown): string =>
  v === undefined || v === null || v === '' ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

function image(template: unknown): string {
  const c = (template as { spec?: { containers?: { image?: string }[] } } | undefined)?.spec?.containers;
  return c?.[0]?.image ?? '';
}

function clusterRows(spec: Record<string, unknown> | undefined): Row[] {
  const head = spec?.headGroupSpec as { template?: unknown; serviceType?: string } | undefined;
  const rows: Row[] = [
    ['Ray version', text(spec?.rayVersion)],
    ['Head image', image(head?.template)],
    ['Autoscaling', spec?.enableInTreeAutoscaling === true ? 'in-tree autoscaler' : ''],
    ['Suspended', spec?.suspend === true ? 'yes' : ''],
  ];
  for (const g of workerGroupsOf(spec)) {
    const bounds = [
      g.minReplicas !== undefined ? `min ${g.minReplicas}` : '',
      g.maxReplicas !== undefined ? `max ${g.maxReplicas}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    rows.push([`Workers "${g.groupName ?? ''}"`, `${g.replicas ?? 0}${bounds ? ` (${bounds})` : ''}`]);
  }
  return rows;
}

interface ServeApp {
  status?: string;
  message?: string;
  serveDeploymentStatuses?: Record<string, { status?: string; message?: string }>;
}

/**
 * One row per Serve application of a RayService cluster's status (`applicationStatuses`): its status, how many
 * of its deployments are HEALTHY, and Ray's message when there is one.
 */
export function serveRows(which: string, serviceStatus: unknown): Row[] {
  const apps = (serviceStatus as { applicationStatuses?: Record<string, ServeApp> } | undefined)
    ?.applicationStatuses;
  return Object.entries(apps ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, app]) => {
      const deployments = Object.values(app.serveDeploymentStatuses ?? {});
      const healthy = deployments.filter((d) => d.status === 'HEALTHY').length;
      const parts = [
        app.status ?? 'unknown',
        deployments.length ? `${healthy}/${deployments.length} deployments healthy` : '',
        app.message ?? '',
      ].filter(Boolean);
      return [`Serve app "${name}" (${which})`, parts.join(' · ')] as const;
    });
}

/** The few spec and status fields a person reads first, per kind; empty values are left out. */
export function specSummary(plural: Plural, obj: RayObject): Row[] {
  const spec = obj.spec;
  const status = obj.status ?? {};
  let rows: Row[];
  switch (plural) {
    case 'rayclusters':
      rows = [
        ...clusterRows(spec),
        ['Ready workers', text(status.readyWorkerReplicas)],
        ['Desired CPU', text(status.desiredCPU)],
        ['Desired memory', text(status.desiredMemory)],
      ];
      break;
    case 'rayjobs':
      rows = [
        ['Entrypoint', text(spec?.entrypoint)],
        ['Submission mode', text(spec?.submissionMode)],
        ['Job status', text(status.jobStatus)],
        ['Job id', text(status.jobId)],
        ['RayCluster', text(status.rayClusterName)],
        ['Cluster selector', text(spec?.clusterSelector)],
        ['Shut down after the job', spec?.shutdownAfterJobFinishes === true ? 'yes' : ''],
        ['Failed attempts', text(status.failed)],
        ...clusterRows(spec?.rayClusterSpec as Record<string, unknown> | undefined),
      ];
      break;
    case 'rayservices': {
      const active = status.activeServiceStatus as { rayClusterName?: string } | undefined;
      const pending = status.pendingServiceStatus as { rayClusterName?: string } | undefined;
      rows = [
        ['Active RayCluster', text(active?.rayClusterName)],
        ['Pending RayCluster', text(pending?.rayClusterName)],
        ['Upgrade strategy', text((spec?.upgradeStrategy as { type?: string } | undefined)?.type)],
        ['Serve endpoints', text(status.numServeEndpoints)],
        ...serveRows('active', status.activeServiceStatus),
        ...serveRows('pending', status.pendingServiceStatus),
        ...clusterRows(spec?.rayClusterConfig as Record<string, unknown> | undefined),
      ];
      break;
    }
    case 'raycronjobs':
      rows = [
        ['Schedule', text(spec?.schedule)],
        ['Suspended', spec?.suspend === true ? 'yes' : ''],
        ['Last scheduled', text(status.lastScheduleTime)],
      ];
      break;
  }
  return rows.filter(([, v]) => v !== '');
}
