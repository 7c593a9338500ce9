{{- define "kuberay-apiserver.name" -}}
{{- .Values.name | default .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kuberay-apiserver.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "kuberay-apiserver.selectorLabels" -}}
app.kubernetes.io/component: {{ include "kuberay-apiserver.name" . }}
app.kubernetes.io/name: {{ .Release.Name }}
{{- end -}}

{{/* The container port number of the named port in containerPort ("" when absent). */}}
{{- define "kuberay-apiserver.containerPort" -}}
{{- $want := .name -}}
{{- range .root.Values.containerPort -}}{{- if eq .name $want -}}{{ .containerPort }}{{- end -}}{{- end -}}
{{- end -}}
