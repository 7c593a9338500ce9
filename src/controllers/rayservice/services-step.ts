import { EventReasons } from '../../api/constants.ts';
import type { RayCluster, RayService, Service } from '../../api/index.ts';
import {
  buildRayServiceHeadService,
  buildRayServiceServeService,
  serviceTargetCluster,
} from '../../builders/rayservice/services.ts';
import type { KubeClient } from '../../k8s/client.ts';
import { Resources } from '../../k8s/resources.ts';
import type { EventRecorder } from '../common/events.ts';
import { recordedWrite } from '../common/events.ts';
import {
  createdServiceMessage,
  failedToCreateServiceMessage,
  failedToUpdateServiceMessage,
  updatedServiceMessage,
} from './messages.ts';

interface ServicesStepDeps {
  readonly kube: KubeClient;
  readonly events: EventRecorder;
  readonly headClusterIPService: boolean;
}

/** What the API server allocated for a Service: kept through a switch (switching headless ⇄ ClusterIP in place is not allowed). */
const allocatedSpecFields = [
  'clusterIP',
  'clusterIPs',
  'ipFamilies',
  'ipFamilyPolicy',
  'healthCheckNodePort',
] as const;

/**
 * The desired Service after a switch to `desired`'s target: the existing object with the new spec in place of
 * the old one, as KubeRay replaces it (a field removed from a custom `serveService` goes), keeping what the API
 * server allocated: the cluster IPs and their families, the node ports.
 */
export function switchedService(existing: Service, desired: Service): Service {
  const oldPorts = existing.spec?.ports ?? [];
  const ports = (desired.spec?.ports ?? []).map((p) => {
    const old = oldPorts.find((o) => o.name === p.name);
    return old?.nodePort && !p.nodePort ? { ...p, nodePort: old.nodePort } : p;
  });
  const spec: Record<string, unknown> = { ...desired.spec, ports };
  for (const f of allocatedSpecFields) if (existing.spec?.[f] !== undefined) spec[f] = existing.spec[f];
  if (existing.spec?.clusterIP !== 'None') delete spec.publishNotReadyAddresses;
  return { ...existing, spec: spec as NonNullable<Service['spec']> };
}

/**
 * Creates the Service if missing, or flips its selector to `target` when it selects another cluster (the
 * zero-downtime switch). Returns the Service as it now is.
 */
async function reconcileOne(
  deps: ServicesStepDeps,
  rs: RayService,
  desired: Service,
  existing: Service | undefined,
  target: RayCluster,
): Promise<Service> {
  const ns = rs.metadata.namespace ?? '';
  const name = desired.metadata.name ?? '';
  const ref = `${ns}/${name}`;
  if (!existing)
    return recordedWrite(
      deps.events,
      rs,
      () => deps.kube.create<Service>(Resources.services, desired),
      { reason: EventReasons.createdService, message: createdServiceMessage(ref) },
      {
        reason: EventReasons.failedToCreateService,
        message: (err) => failedToCreateServiceMessage(ref, err),
      },
    );
  if (serviceTargetCluster(existing) === target.metadata.name) return existing;
  return recordedWrite(
    deps.events,
    rs,
    () => deps.kube.update<Service>(Resources.services, switchedService(existing, desired)),
    { reason: EventReasons.updatedService, message: updatedServiceMessage(ref, target.metadata.name ?? '') },
    { reason: EventReasons.failedToUpdateService, message: (err) => failedToUpdateServiceMessage(ref, err) },
  );
}

/** Point the head and serve Services at `target`. */
export async function reconcileServices(
  deps: ServicesStepDeps,
  rs: RayService,
  target: RayCluster,
  existing: { head: Service | undefined; serve: Service | undefined },
  withServe = true,
): Promise<{ head: Service; serve: Service | undefined }> {
  const head = await reconcileOne(
    deps,
    rs,
    buildRayServiceHeadService(rs, target, deps),
    existing.head,
    target,
  );
  const serve = withServe
    ? await reconcileOne(deps, rs, buildRayServiceServeService(rs, target), existing.serve, target)
    : existing.serve;
  return { head, serve };
}
