import fs from 'node:fs';
import path from 'node:path';
import { devPortOffset, devStackDataName, stateDir } from '@churn/local-stack';
import { problemText } from './problem-text';

export type RecordKind = 'outcomes' | 'interventions';

export interface ImportTarget {
  /** Monitoring's base URL. */
  readonly url: string;
  readonly token: string;
}

interface RowProblem {
  line: number | null;
  field: string;
  code: string;
  message: string;
}

export interface ImportAnswer {
  /** true when every row was recorded (or already present). */
  readonly accepted: boolean;
  /** What to print: the counts, or every refused line. */
  readonly text: string;
}

/**
 * Where to send and as whom: MONITORING_URL (default: `churn up`'s monitoring, its port shifted by
 * CHURN_PORT_OFFSET), and CHURN_TOKEN, else the agent token `churn up` / `churn demo` wrote for the
 * dashboard (`.churn/auth/<stack>-dashboard.token`).
 */
export function importTarget(env: NodeJS.ProcessEnv): ImportTarget {
  const url = env['MONITORING_URL'] ?? `http://127.0.0.1:${3005 + devPortOffset(env)}`;
  const token = env['CHURN_TOKEN']?.trim() || readLocalToken(env);
  if (!token) {
    throw new Error(
      'no token: set CHURN_TOKEN to a bearer token with the agent role, or start the local platform (churn up / churn demo), which writes one to .churn/auth/',
    );
  }
  return { url, token };
}

function readLocalToken(env: NodeJS.ProcessEnv): string | undefined {
  const file = path.join(stateDir(), 'auth', `${devStackDataName(env)}-dashboard.token`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}

/**
 * Sends a file to monitoring's `POST /v1/<kind>` — a .json file as one record, anything else as CSV —
 * and reads the answer. Monitoring validates (the one implementation of the rules); this only reports.
 * A refusal of the file (422, 400) is an answer; anything else unexpected (401, 403, 413, no
 * monitoring) is thrown with what monitoring said.
 */
export async function importRecords(kind: RecordKind, file: string, target: ImportTarget): Promise<ImportAnswer> {
  const body = fs.readFileSync(file);
  const contentType = file.toLowerCase().endsWith('.json') ? 'application/json' : 'text/csv';
  let response: Response;
  try {
    response = await fetch(new URL(`/v1/${kind}`, target.url), {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${target.token}` },
      body,
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    throw new Error(`monitoring at ${target.url} did not answer (${(error as Error).message}); set MONITORING_URL`);
  }
  const answer = (await response.json().catch(() => ({}))) as {
    rows?: number;
    recorded?: number;
    already_present?: number;
    detail?: string;
    problems?: RowProblem[];
  };
  if (response.status === 200) {
    return { accepted: true, text: `${file}: ${answer.recorded} ${kind} recorded, ${answer.already_present} already present (${answer.rows} rows)\n` };
  }
  if (response.status === 422 || response.status === 400) {
    const lines = (answer.problems ?? []).map((p) => `${p.line === null ? 'record' : `line ${p.line}`}\t${p.field}\t${p.code}\t${p.message}`);
    return { accepted: false, text: [`${file}: refused — ${answer.detail ?? `HTTP ${response.status}`}`, ...lines, ''].join('\n') };
  }
  throw new Error(problemText('monitoring', response.status, answer));
}
