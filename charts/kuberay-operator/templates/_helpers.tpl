{{/* Chart name, possibly overridden (max 63 characters). */}}
{{- define "kuberay-operator.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Value of the app.kubernetes.io/component label. */}}
{{- define "kuberay-operator.component" -}}
{{- .Values.componentOverride | default .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Name of the release's objects: fullnameOverride, else release name (+ chart name unless included). */}}
{{- define "kuberay-operator.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := .Values.nameOverride | default .Chart.Name -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "kuberay-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object of the chart carries. */}}
{{- define "kuberay-operator.labels" -}}
app.kubernetes.io/name: {{ include "kuberay-operator.name" . }}
helm.sh/chart: {{ include "kuberay-operator.chart" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- with .Chart.AppVersion }}
app.kubernetes.io/version: {{ . | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "kuberay-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kuberay-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The ServiceAccount the operator runs as. */}}
{{- define "kuberay-operator.serviceAccount.name" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "kuberay-operator.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The watched namespaces as a comma-separated string ("" = all). */}}
{{- define "kuberay-operator.watchNamespace" -}}
{{- if .Values.watchNamespace -}}
{{- join "," .Values.watchNamespace -}}
{{- else if .Values.singleNamespaceInstall -}}
{{- .Release.Namespace -}}
{{- end -}}
{{- end -}}

{{/* --feature-gates=A=true,B=false from the featureGates list ("" when the list is empty). */}}
{{- define "kuberay-operator.featureGates" -}}
{{- $gates := list -}}
{{- range .Values.featureGates -}}
{{- /* nil entries come from `--set featureGates[N]...`, which blanks the other list items */ -}}
{{- if . -}}
{{- if not .name -}}{{- fail "values.featureGates: every entry needs a name" -}}{{- end -}}
{{- $gates = append $gates (printf "%s=%t" .name (.enabled | default false)) -}}
{{- end -}}
{{- end -}}
{{- if $gates -}}--feature-gates={{ join "," $gates }}{{- end -}}
{{- end -}}

{{/* True ("true") when the named feature gate is enabled in values. */}}
{{- define "kuberay-operator.gateEnabled" -}}
{{- $want := .name -}}
{{- range .root.Values.featureGates -}}
{{- if and . (eq .name $want) .enabled -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{/* Fails rendering on values the operator would reject. */}}
{{- define "kuberay-operator.validate" -}}
{{- if hasKey .Values "reconcileConcurrency" -}}
{{- $rc := toString .Values.reconcileConcurrency -}}
{{- if not (regexMatch "^[1-9][0-9]*$" $rc) -}}
{{- fail (printf "values.reconcileConcurrency must be a positive integer, got %q" $rc) -}}
{{- end -}}
{{- end -}}
{{- with .Values.kubeClient -}}
{{- if hasKey . "qps" -}}
{{- $qps := toString .qps -}}
{{- if not (regexMatch "^[0-9]+(\\.[0-9]+)?$" $qps) -}}
{{- fail (printf "values.kubeClient.qps must be a valid float number, got %q" $qps) -}}
{{- end -}}
{{- end -}}
{{- if hasKey . "burst" -}}
{{- $burst := toString .burst -}}
{{- if not (regexMatch "^[0-9]+$" $burst) -}}
{{- fail (printf "values.kubeClient.burst must be a non-negative integer, got %q" $burst) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and .Values.batchScheduler.enabled .Values.batchScheduler.name -}}
{{- fail "values.batchScheduler: set either enabled (deprecated, Volcano) or name, not both" -}}
{{- end -}}
{{- if and .Values.batchScheduler.name (eq (include "kuberay-operator.gateEnabled" (dict "root" . "name" "KubernetesWAS")) "true") -}}
{{- fail "values: the KubernetesWAS feature gate and batchScheduler.name are mutually exclusive" -}}
{{- end -}}
{{- end -}}

{{/*
The operator's RBAC rules; the same for the ClusterRole and the namespaced Roles. Least privilege: only the verbs
this operator's code sends (the RBAC audit of the test suites, docs/reliability.md), plus the few it needs
without sending them, each explained in scripts/rbac-exceptions.ts: `get` on pods and `patch` on pods/resize
(the autoscaler Role it creates grants them, and Kubernetes lets it grant only what it holds), `update` on the
ray.io finalizers subresources (owner references with blockOwnerDeletion) and `create` on PodGroups (a
server-side apply that creates one is authorized as a create). KubeRay v1.5.0 grants more; what this chart
leaves out is listed in docs/helm.md.
*/}}
{{- define "kuberay-operator.rules" -}}
{{- $volcano := or .Values.batchScheduler.enabled (eq .Values.batchScheduler.name "volcano") -}}
{{- $pluginsSched := eq .Values.batchScheduler.name "scheduler-plugins" -}}
{{- $was := eq (include "kuberay-operator.gateEnabled" (dict "root" . "name" "KubernetesWAS")) "true" -}}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [create, delete, deletecollection, get, list, patch, watch]
- apiGroups: [""]
  resources: [pods/proxy]
  verbs: [get]
- apiGroups: [""]
  resources: [pods/resize]
  verbs: [patch]
- apiGroups: [""]
  resources: [services]
  verbs: [create, delete, get, list, update, watch]
- apiGroups: [""]
  resources: [services/proxy]
  verbs: [create, get, update]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
- apiGroups: [""]
  resources: [persistentvolumeclaims]
  verbs: [create, get, list, patch, watch]
- apiGroups: [""]
  resources: [secrets]
  verbs: [create, get, list, patch, watch]
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [create, get]
- apiGroups: [batch]
  resources: [jobs]
  verbs: [create, delete, list, watch]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [create, get, update]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
- apiGroups: [networking.k8s.io]
  resources: [ingresses]
  verbs: [create, get, update]
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [create, delete, list, update, watch]
- apiGroups: [gateway.networking.k8s.io]
  resources: [gateways, httproutes]
  verbs: [create, get, update]
- apiGroups: [route.openshift.io]
  resources: [routes]
  verbs: [create, list]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [create, get]
- apiGroups: [cert-manager.io]
  resources: [certificates]
  verbs: [create, get, list, update, watch]
- apiGroups: [cert-manager.io]
  resources: [issuers]
  verbs: [create, list, update, watch]
- apiGroups: [ray.io]
  resources: [rayclusters]
  verbs: [create, delete, get, list, patch, update, watch]
- apiGroups: [ray.io]
  resources: [rayjobs]
  verbs: [create, delete, list, patch, watch]
- apiGroups: [ray.io]
  resources: [rayservices]
  verbs: [get, list, update, watch]
- apiGroups: [ray.io]
  resources: [raycronjobs]
  verbs: [list, watch]
- apiGroups: [ray.io]
  resources: [rayclusters/status, raycronjobs/status]
  verbs: [patch]
- apiGroups: [ray.io]
  resources: [rayjobs/status, rayservices/status]
  verbs: [update]
- apiGroups: [ray.io]
  resources: [rayclusters/finalizers, raycronjobs/finalizers, rayjobs/finalizers, rayservices/finalizers]
  verbs: [update]
{{- if $volcano }}
- apiGroups: [scheduling.volcano.sh]
  resources: [podgroups]
  verbs: [create, get, patch, update]
{{- end }}
{{- if $pluginsSched }}
- apiGroups: [scheduling.x-k8s.io]
  resources: [podgroups]
  verbs: [create, patch]
{{- end }}
{{- if $was }}
- apiGroups: [scheduling.k8s.io]
  resources: [workloads]
  verbs: [create, delete, get]
- apiGroups: [scheduling.k8s.io]
  resources: [podgroups]
  verbs: [create, delete, get, update]
{{- end }}
{{- end -}}
