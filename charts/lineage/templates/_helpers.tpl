{{- define "lineage.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "lineage.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "lineage.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "lineage.serviceAccountName" -}}
{{- default (include "lineage.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- /* rbac.scope, or when it is empty: namespace if the operator watches one namespace, else cluster. */ -}}
{{- define "lineage.rbacScope" -}}
{{- if .Values.rbac.scope -}}{{ .Values.rbac.scope }}{{- else if .Values.watchNamespace -}}namespace{{- else -}}cluster{{- end -}}
{{- end -}}
