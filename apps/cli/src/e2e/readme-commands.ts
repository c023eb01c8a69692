/**
 * The commands a README shows: every line of its ```bash blocks (comments dropped, `\` continuation
 * lines joined) and the `bin/churn …` code spans in the first cell of every table row.
 */
export function parseReadmeCommands(markdown: string): string[] {
  const commands: string[] = [];
  let inBash = false;
  let pending = '';
  for (const raw of markdown.split('\n')) {
    const fence = /^```(\w*)/.exec(raw);
    if (fence) {
      inBash = !inBash && fence[1] === 'bash';
      continue;
    }
    if (inBash) {
      const line = stripComment(raw).trim();
      if (!line) continue;
      if (line.endsWith('\\')) {
        pending += `${line.slice(0, -1).trim()} `;
        continue;
      }
      commands.push(`${pending}${line}`);
      pending = '';
      continue;
    }
    // A table row: the code spans of its first cell (split on pipes that are not escaped).
    if (raw.startsWith('|')) {
      const firstCell = raw.slice(1).split(/(?<!\\)\|/)[0] ?? '';
      for (const span of firstCell.matchAll(/`(bin\/churn [^`]+)`/g)) commands.push(span[1]!.replace(/\\\|/g, '|'));
    }
  }
  return commands;
}

/** A `#` comment outside quotes, preceded by whitespace (a `#` inside a URL or a quoted string stays). */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i);
    }
  }
  return line;
}
