import type { KubeObject, RayCluster } from '../../api/index.ts';
import { copyJson } from '../../lib/copy.ts';
import { authTokenKey } from './auth.ts';
import { annotation, appNameValue, createdByValue, defaultPorts, label } from './constants.ts';
import { clusterChildLabels } from './labels.ts';
import { checkName, gcsPvcName, headServiceName, identifier, ingressName, routeName } from './names.ts';
import { ownedMetadata, ownerReference } from './pod.ts';
import { headContainerPorts } from './services.ts';

/** The autoscaler ServiceAccount name: the head template's, else the cluster name (CheckName applied). */
export function autoscalerServiceAccountName(rc: RayCluster): string {
  return checkName(rc.spec.headGroupSpec.template.spec.serviceAccountName || (rc.metadata.name ?? ''));
}

function meta(rc: RayCluster, name: string) {
  return ownedMetadata(rc, name, clusterChildLabels(rc.metadata.name ?? ''));
}

export function buildServiceAccount(rc: RayCluster): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(rc, autoscalerServiceAccountName(rc)) };
}

export function buildRole(rc: RayCluster): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta(rc, checkName(rc.metadata.name ?? '')),
    rules: [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'patch'] },
      { apiGroups: [''], resources: ['pods/resize'], verbs: ['patch'] },
      { apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['get', 'patch'] },
    ],
  };
}

export function buildRoleBinding(rc: RayCluster): KubeObject {
  const name = checkName(rc.metadata.name ?? '');
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta(rc, name),
    subjects: [
      { kind: 'ServiceAccount', name: autoscalerServiceAccountName(rc), namespace: rc.metadata.namespace },
    ],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
  };
}

/** The auth Secret is generated when auth options ask for it and name no Secret of their own. */
export function needsAuthSecret(rc: RayCluster): boolean {
  const a = rc.spec.authOptions;
  return !!a && a.mode !== 'disabled' && a.enableK8sTokenAuth !== true && !a.secretName;
}

/** The auth Secret; `token` is 32 random bytes passed in (builders stay pure). */
export function buildAuthSecret(rc: RayCluster, token: Uint8Array): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: ownedMetadata(rc, checkName(rc.metadata.name ?? ''), {
      [label.cluster]: rc.metadata.name ?? '',
    }),
    stringData: { [authTokenKey]: Buffer.from(token).toString('base64') },
  };
}

function dashboardPort(rc: RayCluster): number {
  return headContainerPorts(rc).find((p) => p.name === 'dashboard')?.port ?? defaultPorts.dashboard;
}

function ingressLabels(rc: RayCluster) {
  const c = rc.metadata.name ?? '';
  return {
    [label.cluster]: c,
    [label.identifier]: identifier(c, 'head'),
    [label.appName]: appNameValue,
    [label.createdBy]: createdByValue,
  };
}

/** The head Ingress. */
export function buildIngress(rc: RayCluster): KubeObject {
  const opts = rc.spec.headGroupSpec.ingressOptions ?? {};
  const annotations = { ...rc.metadata.annotations };
  const ingressClass = annotations[annotation.ingressClass];
  delete annotations[annotation.ingressClass];
  const path = {
    path: opts.path || '/',
    pathType: opts.pathType || 'Prefix',
    backend: { service: { name: headServiceName(rc), port: { number: dashboardPort(rc) } } },
  };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: ownedMetadata(rc, ingressName(rc.metadata.name ?? ''), ingressLabels(rc), annotations),
    spec: {
      ...(ingressClass !== undefined ? { ingressClassName: ingressClass } : {}),
      rules: [{ ...(opts.host ? { host: opts.host } : {}), http: { paths: [path] } }],
      ...(opts.tls ? { tls: copyJson(opts.tls) } : {}),
    },
  };
}

/** The head Route used on OpenShift. */
export function buildRoute(rc: RayCluster): KubeObject {
  return {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: ownedMetadata(
      rc,
      routeName(rc.metadata.name ?? '', rc.metadata.namespace ?? ''),
      ingressLabels(rc),
      { ...rc.metadata.annotations },
    ),
    spec: {
      to: { kind: 'Service', name: headServiceName(rc), weight: 100 },
      port: { targetPort: dashboardPort(rc) },
      wildcardPolicy: 'None',
    },
  };
}

/** The operator-managed embedded-storage PVC; no owner reference under deletionPolicy Retain. */
export function buildGcsPvc(rc: RayCluster): KubeObject {
  const storage = rc.spec.gcsFaultToleranceOptions?.storage ?? {};
  const retain = storage.deletionPolicy === 'Retain';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: gcsPvcName(rc.metadata.name ?? ''),
      namespace: rc.metadata.namespace,
      labels: { [label.cluster]: rc.metadata.name ?? '' },
      ...(retain ? {} : { ownerReferences: [ownerReference(rc)] }),
    },
    spec: {
      accessModes: storage.accessModes?.length ? [...storage.accessModes] : ['ReadWriteOnce'],
      resources: { requests: { storage: storage.size || '1Gi' } },
      ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
    },
  };
}
