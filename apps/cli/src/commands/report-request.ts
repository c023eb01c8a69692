import fs from 'node:fs';
import path from 'node:path';
import { problemText } from './problem-text';
import type { ImportTarget } from './records-import';

export interface ReportOptions {
  readonly from: string;
  readonly to: string;
  readonly format: 'pdf' | 'csv';
  readonly top?: number;
}

async function call(target: ImportTarget, url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${target.token}` },
      signal: AbortSignal.timeout(300_000),
    });
  } catch (error) {
    throw new Error(`monitoring at ${target.url} did not answer (${(error as Error).message}); set MONITORING_URL`);
  }
}

async function refusal(response: Response): Promise<Error> {
  return new Error(problemText('monitoring', response.status, await response.json().catch(() => null), (field) => `--${field}`));
}

/** The file name monitoring gave the report (Content-Disposition), for when --out is not given. */
function suggestedName(response: Response, format: string): string {
  const match = /filename="([^"/\\]+)"/.exec(response.headers.get('content-disposition') ?? '');
  return match?.[1] ?? `churn-report.${format}`;
}

/**
 * Downloads the report of [from, to) from monitoring's `GET /v1/reports` (an agent token) into `out`
 * (a file, or a directory to put monitoring's file name in; default: that name in the current
 * directory). Returns the path written and its size.
 */
export async function downloadReport(options: ReportOptions, out: string | undefined, target: ImportTarget): Promise<{ file: string; bytes: number }> {
  const url = new URL('/v1/reports', target.url);
  url.searchParams.set('from', options.from);
  url.searchParams.set('to', options.to);
  url.searchParams.set('format', options.format);
  if (options.top !== undefined) url.searchParams.set('top', String(options.top));
  const response = await call(target, url, { method: 'GET' });
  if (response.status !== 200) throw await refusal(response);
  const body = Buffer.from(await response.arrayBuffer());
  const name = suggestedName(response, options.format);
  const file = out === undefined ? path.resolve(name) : fs.existsSync(out) && fs.statSync(out).isDirectory() ? path.join(out, name) : path.resolve(out);
  fs.writeFileSync(file, body);
  return { file, bytes: body.length };
}

/** Has monitoring e-mail the report now (`POST /v1/reports/email`: an agent token; an admin's to name recipients); returns the receipt. */
export async function emailReport(
  options: Omit<ReportOptions, 'format'>,
  recipients: string | undefined,
  target: ImportTarget,
): Promise<{ recipients: string; message_id: string; attachments: string[] }> {
  const body = { from: options.from, to: options.to, ...(recipients ? { recipients } : {}), ...(options.top !== undefined ? { top: options.top } : {}) };
  const response = await call(target, new URL('/v1/reports/email', target.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw await refusal(response);
  return (await response.json()) as { recipients: string; message_id: string; attachments: string[] };
}
