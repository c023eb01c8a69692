const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page a browser sees when a sign-in does not end in a session: what happened and a link to try
 * again (the dashboard's own pages show everything else).
 */
export function signInProblemPage(title: string, message: string, retry = '/auth/login'): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — Churn Radar</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style>
</head><body><main>
<h1>${escape(title)}</h1>
<p>${escape(message)}</p>
<p><a href="${escape(retry)}">Sign in again</a></p>
</main></body></html>
`;
}
