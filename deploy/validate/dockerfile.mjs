// Reads a Dockerfile into its stages: instructions with continuation lines joined, each stage's
// name, base (another stage or an image), WORKDIR as it stands at each instruction, RUN commands and
// COPY instructions. Enough for the project's checks (check-dashboard-image.mjs), not a full parser.
import fs from 'node:fs';
import path from 'node:path';

/** @typedef {{ from: string | undefined, sources: string[], dest: string, workdir: string }} Copy */
/** @typedef {{ name: string, base: string, runs: { command: string, workdir: string }[], copies: Copy[], cmd: string }} Stage */

/** @returns {Stage[]} */
export function readDockerfile(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const instructions = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '');
    if (current === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (current !== '' && line.trim().startsWith('#')) continue; // comment inside a continuation
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    instructions.push((current + line).trim());
    current = '';
  }
  if (current) instructions.push(current.trim());

  /** @type {Stage[]} */
  const stages = [];
  /** @type {Map<string, string>} */
  const workdirs = new Map();
  let stage;
  let workdir = '/';
  for (const instruction of instructions) {
    const [keyword, ...rest] = instruction.split(/\s+/);
    const args = rest.join(' ');
    switch (keyword.toUpperCase()) {
      case 'FROM': {
        const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
        const base = match?.[1] ?? args;
        stage = { name: match?.[2] ?? String(stages.length), base, runs: [], copies: [], cmd: '' };
        stages.push(stage);
        workdir = workdirs.get(base) ?? '/';
        break;
      }
      case 'WORKDIR':
        workdir = path.posix.resolve(workdir, args);
        break;
      case 'RUN':
        stage?.runs.push({ command: args, workdir });
        break;
      case 'COPY': {
        const words = args.split(/\s+/);
        const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
        const paths = words.filter((w) => !w.startsWith('--'));
        stage?.copies.push({ from, sources: paths.slice(0, -1), dest: path.posix.resolve(workdir, paths.at(-1) ?? ''), workdir });
        break;
      }
      case 'CMD':
      case 'ENTRYPOINT':
        if (stage) stage.cmd = args;
        break;
      default:
    }
    if (stage) workdirs.set(stage.name, workdir);
  }
  return stages;
}

/** The stage and the stages it is built on, nearest first (what an image inherits). */
export function lineage(stages, name) {
  const chain = [];
  for (let stage = stages.find((s) => s.name === name); stage; stage = stages.find((s) => s.name === stage.base)) chain.push(stage);
  return chain;
}
