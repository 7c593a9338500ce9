{{- define "ray-cluster.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The RayCluster's name: fullnameOverride, else release name (+ name unless already included). */}}
{{- define "ray-cluster.fullname" -}}
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

{{- define "ray-cluster.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* rayStartParams of a group: rayStartParams then initArgs (deprecated alias), every value a string. */}}
{{- define "ray-cluster.rayStartParams" -}}
{{- $out := dict -}}
{{- range $k, $v := (.rayStartParams | default dict) }}{{- $_ := set $out $k (toString $v) -}}{{- end -}}
{{- range $k, $v := (.initArgs | default dict) }}{{- $_ := set $out $k (toString $v) -}}{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/*
The pod template of one group as YAML. Input: dict root (the chart context), group (its values) and
container (ray-head or ray-worker).
*/}}
{{- define "ray-cluster.podTemplate" -}}
{{- $root := .root -}}
{{- $g := .group -}}
{{- $image := $g.image | default $root.Values.image -}}
{{- $c := dict "name" .container "image" (printf "%s:%s" $image.repository (toString $image.tag)) -}}
{{- with $image.pullPolicy }}{{- $_ := set $c "imagePullPolicy" . -}}{{- end -}}
{{- $_ := set $c "resources" ($g.resources | default dict) -}}
{{- with $g.securityContext }}{{- $_ := set $c "securityContext" . -}}{{- end -}}
{{- with concat (($root.Values.common | default dict).containerEnv | default list) ($g.containerEnv | default list) }}
{{- $_ := set $c "env" . -}}
{{- end -}}
{{- range $key := list "envFrom" "ports" "lifecycle" "command" "args" "volumeMounts" }}
{{- with index $g $key }}{{- $_ := set $c $key . -}}{{- end -}}
{{- end -}}
{{- $spec := dict "containers" (prepend ($g.sidecarContainers | default list) $c) -}}
{{- with $root.Values.imagePullSecrets }}{{- $_ := set $spec "imagePullSecrets" . -}}{{- end -}}
{{- with $g.podSecurityContext }}{{- $_ := set $spec "securityContext" . -}}{{- end -}}
{{- range $key := list "initContainers" "serviceAccountName" "restartPolicy" "runtimeClassName" "volumes" "affinity" "tolerations" "nodeSelector" "topologySpreadConstraints" "priority" "priorityClassName" "dnsConfig" "resourceClaims" }}
{{- with index $g $key }}{{- $_ := set $spec $key . -}}{{- end -}}
{{- end -}}
{{- $labels := merge (include "ray-cluster.labels" $root | fromYaml) ($g.labels | default dict) -}}
{{- $meta := dict "labels" $labels -}}
{{- with $g.annotations }}{{- $_ := set $meta "annotations" . -}}{{- end -}}
{{- toYaml (dict "metadata" $meta "spec" $spec) -}}
{{- end -}}

{{/* One worker group spec as YAML. Input: dict root, group (values) and name. */}}
{{- define "ray-cluster.workerGroup" -}}
{{- $g := .group -}}
{{- if not .name }}{{- fail "values.worker.groupName: the default worker group needs a name" -}}{{- end -}}
{{- $out := dict "groupName" .name "rayStartParams" (include "ray-cluster.rayStartParams" $g | fromYaml) -}}
{{- $_ := set $out "replicas" ($g.replicas | default 0) -}}
{{- $_ := set $out "minReplicas" ($g.minReplicas | default 0) -}}
{{- $_ := set $out "maxReplicas" ($g.maxReplicas | default 2147483647) -}}
{{- $_ := set $out "numOfHosts" ($g.numOfHosts | default 1) -}}
{{- $_ := set $out "template" (include "ray-cluster.podTemplate" (dict "root" .root "group" $g "container" "ray-worker") | fromYaml) -}}
{{- toYaml $out -}}
{{- end -}}
