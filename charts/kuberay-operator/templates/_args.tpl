{{/*
The operator's command-line arguments as a YAML list. With configuration.enabled the operator reads
/etc/kuberay/config.yaml and ignores every flag but --feature-gates, so only those two are passed.
*/}}
{{- define "kuberay-operator.args" -}}
{{- include "kuberay-operator.validate" . -}}
{{- $args := list -}}
{{- if .Values.configuration.enabled -}}
{{- $args = list "--config" "/etc/kuberay/config.yaml" -}}
{{- else -}}
{{- with .Values.batchScheduler -}}
{{- if .enabled -}}{{- $args = append $args "--enable-batch-scheduler" -}}{{- end -}}
{{- with .name -}}{{- $args = append $args (printf "--batch-scheduler=%s" .) -}}{{- end -}}
{{- end -}}
{{- with include "kuberay-operator.watchNamespace" . -}}
{{- $args = concat $args (list "--watch-namespace" .) -}}
{{- end -}}
{{- if and .Values.logging.baseDir .Values.logging.fileName -}}
{{- $args = concat $args (list "--log-file-path" (printf "%s/%s" .Values.logging.baseDir .Values.logging.fileName)) -}}
{{- end -}}
{{- with .Values.logging.stdoutEncoder -}}
{{- $args = concat $args (list "--log-stdout-encoder" .) -}}
{{- end -}}
{{- with .Values.logging.fileEncoder -}}
{{- $args = concat $args (list "--log-file-encoder" .) -}}
{{- end -}}
{{- if hasKey .Values "useKubernetesProxy" -}}
{{- $args = append $args (printf "--use-kubernetes-proxy=%t" .Values.useKubernetesProxy) -}}
{{- end -}}
{{- if hasKey .Values "leaderElectionEnabled" -}}
{{- $args = append $args (printf "--enable-leader-election=%t" .Values.leaderElectionEnabled) -}}
{{- end -}}
{{- if and (hasKey .Values "metrics") (hasKey .Values.metrics "enabled") -}}
{{- $args = append $args (printf "--enable-metrics=%t" .Values.metrics.enabled) -}}
{{- end -}}
{{- if hasKey .Values "reconcileConcurrency" -}}
{{- $args = append $args (printf "--reconcile-concurrency=%v" .Values.reconcileConcurrency) -}}
{{- end -}}
{{- with .Values.kubeClient -}}
{{- if hasKey . "qps" -}}{{- $args = append $args (printf "--qps=%v" .qps) -}}{{- end -}}
{{- if hasKey . "burst" -}}{{- $args = append $args (printf "--burst=%v" .burst) -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- with include "kuberay-operator.featureGates" . -}}
{{- $args = append $args . -}}
{{- end -}}
{{- toYaml $args -}}
{{- end -}}
