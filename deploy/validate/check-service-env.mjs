// Every service gets the environment its own config schema asks for, in compose and in Kubernetes:
//   node deploy/validate/check-service-env.mjs compose docker-compose.yml
//   node deploy/validate/check-service-env.mjs k8s RENDERED.yaml --label NAME
// The requirements are not written down here: they come from the compiled config schemas
// (apps/<service>/dist/config.js, the schema each service parses at start), asked two questions:
//  1. "enabled together": for every optional variable V of a schema (a Slack webhook, an SMTP URL,
//     a SASL mechanism…), the schema is parsed with V alone set to a value it accepts; every other
//     variable it then reports missing (a superRefine such as "ALERT_EMAIL_TO is required when
//     SMTP_URL is set") must be wired wherever V is;
//  2. "loopback defaults": a variable whose default points at 127.0.0.1 / localhost (a service URL
//     for a laptop) must be set explicitly, since inside a container that address is the container.
// And one rule across services: every service whose schema reads a variable of AGREE gets the same value
// (unset counts as the schema's default) — ingest building vectors of one feature spec while the scorer
// or monitoring reads another would dead-letter every vector.
// "Wired" for a compose service: a key of its `environment`, or a line (commented out or not) of the
// `.example` beside an env_file it reads, which is how compose users enable an integration. For a
// Kubernetes container: an `env` entry (any source) or a key of a ConfigMap it reads with envFrom.
// Prints one line per problem and exits 1 when there is any. Needs the TypeScript build (bootstrap).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const SERVICES = ['ingest', 'scorer', 'alerting', 'crm-sync', 'monitoring'];
// Values tried, in order, for an optional variable until its schema accepts one.
const SAMPLES = [
  'https://hooks.example.com/services/T000/B000/XXXX',
  'smtp://user:password@smtp.example.com:587',
  'scram-sha-512',
  'true',
  '30',
  'ops@example.com',
  'x'.repeat(40),
];
const LOOPBACK = /(^|[/@:])(127\.0\.0\.1|localhost|\[::1\])([:/]|$)/;
const AGREE = ['FEATURE_SPEC_FILE'];

/** The service's config schema, from its compiled config module (the one export named *ConfigSchema). */
function schemaOf(service) {
  const file = path.join(root, 'apps', service, 'dist', 'config.js');
  if (!fs.existsSync(file)) throw new Error(`${path.relative(root, file)} is missing: run scripts/bootstrap.sh (the TypeScript build) first`);
  const exported = Object.entries(require(file)).filter(([name]) => /ConfigSchema$/.test(name));
  if (exported.length !== 1) throw new Error(`${path.relative(root, file)} exports ${exported.length} *ConfigSchema values; expected one`);
  return exported[0][1];
}

/** The object schema under refinements and pipes: its keys. */
function shapeOf(schema) {
  for (let s = schema; s; s = s.def?.in ?? s.def?.schema ?? s.def?.innerType) if (s.shape) return s.shape;
  throw new Error('the config schema is not an object schema');
}

/** Missing variables the schema reports for `env`: { name: message }. */
function missing(schema, env) {
  const result = schema.safeParse(env);
  if (result.success) return {};
  const out = {};
  for (const issue of result.error.issues) {
    const name = issue.path?.[0];
    if (typeof name === 'string' && !(name in env)) out[name] = issue.message;
  }
  return out;
}

/** What each service's schema requires: always, per optional variable, and where defaults are loopback. */
export function requirements(service) {
  const schema = schemaOf(service);
  const shape = shapeOf(schema);
  const always = missing(schema, {});
  const baseline = schema.safeParse(Object.fromEntries(Object.keys(always).map((k) => [k, SAMPLES.find((v) => !(k in missing(schema, { [k]: v })))])));
  const defaults = baseline.success ? baseline.data : {};
  const together = {};
  for (const name of Object.keys(shape)) {
    if (name in always || !shape[name].safeParse(undefined).success || shape[name].safeParse(undefined).data !== undefined) continue;
    const value = SAMPLES.find((v) => shape[name].safeParse(v).success);
    if (value === undefined) continue;
    const needs = missing(schema, { ...Object.fromEntries(Object.keys(always).map((k) => [k, 'x'])), [name]: value });
    for (const k of Object.keys(always)) delete needs[k];
    if (Object.keys(needs).length) together[name] = needs;
  }
  const loopback = Object.keys(shape).filter((k) => typeof defaults[k] === 'string' && LOOPBACK.test(defaults[k]));
  return { always: Object.keys(always), together, loopback };
}

function check(service, wired, where, problems) {
  const { always, together, loopback } = requirements(service);
  for (const name of always) if (!wired.has(name)) problems.push(`${where}: ${name} is required by the ${service} config schema and is not set`);
  for (const [name, needs] of Object.entries(together)) {
    if (!wired.has(name)) continue;
    for (const [need, message] of Object.entries(needs)) {
      if (!wired.has(need)) problems.push(`${where}: ${name} can be set, but ${need} cannot (${service} config schema: ${need} ${message})`);
    }
  }
  for (const name of loopback) {
    if (!wired.has(name)) problems.push(`${where}: ${name} is not set; its default in the ${service} config schema points at the container itself (loopback)`);
  }
}

/** `values`: [where, service, Map name → value] of each service of a deployment; one problem per variable of AGREE that differs. */
function checkAgreement(values, label, problems) {
  for (const name of AGREE) {
    const seen = values.filter(([, service]) => name in shapeOf(schemaOf(service))).map(([where, , env]) => [where, env.get(name) ?? '(default)']);
    if (new Set(seen.map(([, value]) => value)).size > 1) {
      problems.push(`${label}: ${name} differs between the services that read it: ${seen.map(([where, value]) => `${where} ${value}`).join('; ')}`);
    }
  }
}

const serviceOfImage = (image) => /(?:^|\/)churn-radar\/([a-z-]+)(?:[:@]|$)/.exec(image ?? '')?.[1];

function checkCompose(file, problems) {
  const spec = parseAllDocuments(fs.readFileSync(file, 'utf8'), { merge: true })[0].toJS();
  const base = path.dirname(file);
  const values = [];
  for (const [name, svc] of Object.entries(spec.services ?? {})) {
    const service = serviceOfImage(svc.image);
    if (!SERVICES.includes(service)) continue;
    const entries = Array.isArray(svc.environment)
      ? svc.environment.map((e) => [e.split('=')[0], e.split('=').slice(1).join('=')])
      : Object.entries(svc.environment ?? {}).map(([k, v]) => [k, String(v)]);
    values.push([name, service, new Map(entries)]);
    const wired = new Set(entries.map(([k]) => k));
    for (const entry of svc.env_file ?? []) {
      const example = path.join(base, `${typeof entry === 'string' ? entry : entry.path}.example`);
      if (!fs.existsSync(example)) continue;
      for (const [, key] of fs.readFileSync(example, 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)) wired.add(key);
    }
    check(service, wired, `${path.basename(file)}: ${name}`, problems);
  }
  checkAgreement(values, path.basename(file), problems);
}

function checkK8s(file, label, problems) {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'), { merge: true })
    .map((d) => d.toJS())
    .filter(Boolean);
  const configMaps = new Map(docs.filter((d) => d.kind === 'ConfigMap').map((d) => [d.metadata.name, Object.entries(d.data ?? {})]));
  const values = [];
  for (const workload of docs.filter((d) => d.kind === 'Deployment')) {
    for (const container of workload.spec.template.spec.containers ?? []) {
      const service = serviceOfImage(container.image);
      if (!SERVICES.includes(service)) continue;
      // An env entry wins over envFrom, as in Kubernetes; a value from a Secret is named by its source.
      const env = new Map();
      for (const source of container.envFrom ?? []) {
        for (const [key, value] of configMaps.get(source.configMapRef?.name) ?? []) env.set(`${source.prefix ?? ''}${key}`, String(value));
      }
      for (const e of container.env ?? []) env.set(e.name, e.value ?? JSON.stringify(e.valueFrom ?? null));
      values.push([`Deployment/${workload.metadata.name}`, service, env]);
      check(service, new Set(env.keys()), `${label}: Deployment/${workload.metadata.name} container ${container.name}`, problems);
    }
  }
  checkAgreement(values, label, problems);
}

const [mode, file, ...rest] = process.argv.slice(2);
const problems = [];
try {
  if (mode === 'compose') checkCompose(path.resolve(file), problems);
  else if (mode === 'k8s') checkK8s(path.resolve(file), rest[rest.indexOf('--label') + 1] ?? path.basename(file), problems);
  else throw new Error('usage: check-service-env.mjs compose FILE | k8s RENDERED.yaml --label NAME');
} catch (error) {
  problems.push(error.message);
}
for (const problem of problems) console.log(`  ✗ ${problem}`);
process.exit(problems.length ? 1 : 0);
