import type { DemoPerson } from './demo-people';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The provider's sign-in form: a real form a person submits (the browser test fills it in). */
export function loginPage(uid: string, people: readonly DemoPerson[], problem?: string): string {
  const hint = people.map((p) => `<li><code>${escape(p.username)}</code> / <code>${escape(p.password)}</code> (${escape(p.groups.join(', '))})</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in — local OpenID provider</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;font-size:1rem}button{margin-top:1rem;padding:.5rem 1.2rem;font-size:1rem}.problem{color:#a00}</style>
</head><body>
<main>
<h1>Sign in</h1>
<p>Local OpenID provider of the Churn Radar sandbox.</p>
${problem ? `<p class="problem" role="alert">${escape(problem)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p>Demo people:</p><ul>${hint}</ul>
</main>
</body></html>
`;
}
