// Validates custom resources (KEDA ScaledObject / TriggerAuthentication, Prometheus Operator
// ServiceMonitor / PrometheusRule) with the validation that @kubernetes-models generates from each project's CRD
// OpenAPI schema. Input: a JSON array of resources (written by validate_deploy.py k8s).
//   node validate-crds.mjs LABEL CRDS.json      (run with NODE_PATH=<.churn/deploy-tools/node/node_modules>)
// Prints one line per invalid resource and exits 1 when there is any.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [label, file] = process.argv.slice(2);
const modules = process.env.CHURN_CRD_MODULES;
const load = (spec) => import(pathToFileURL(path.join(modules, spec)).href);
const models = {
  'keda.sh/v1alpha1/ScaledObject': ['@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject.js', 'ScaledObject'],
  'keda.sh/v1alpha1/TriggerAuthentication': ['@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication.js', 'TriggerAuthentication'],
  'monitoring.coreos.com/v1/ServiceMonitor': ['@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor.js', 'ServiceMonitor'],
  'monitoring.coreos.com/v1/PrometheusRule': ['@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule.js', 'PrometheusRule'],
};

const resources = JSON.parse(fs.readFileSync(file, 'utf8'));
let failed = 0;
for (const resource of resources) {
  const key = `${resource.apiVersion}/${resource.kind}`;
  const where = `${label}: ${resource.kind}/${resource.metadata?.name}`;
  const model = models[key];
  if (!model) {
    console.log(`  ✗ ${where}: no schema for ${key}`);
    failed++;
    continue;
  }
  const Model = (await load(model[0]))[model[1]];
  try {
    new Model(resource).validate();
  } catch (error) {
    console.log(`  ✗ ${where}: ${key} schema: ${error.message}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
