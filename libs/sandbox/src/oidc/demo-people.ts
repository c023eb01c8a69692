/** A person the local OpenID provider knows: the login form's username and password, and the claims. */
export interface DemoPerson {
  readonly username: string;
  readonly password: string;
  readonly name: string;
  readonly email: string;
  /** The `groups` claim; LOCAL_OIDC_ROLE_MAP maps churn-agents → agent, churn-admins → admin. */
  readonly groups: readonly string[];
}

/**
 * The demo's people (README, "Signing in"): a retention agent, an admin, and an employee in no
 * group of the role map, whom monitoring refuses. Sandbox credentials: they exist only in this
 * process's provider.
 */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { username: 'agent', password: 'agent-demo', name: 'Ada Agent', email: 'agent@sandbox.invalid', groups: ['churn-agents', 'everyone'] },
  { username: 'admin', password: 'admin-demo', name: 'Alex Admin', email: 'admin@sandbox.invalid', groups: ['churn-admins', 'everyone'] },
  { username: 'visitor', password: 'visitor-demo', name: 'Vic Visitor', email: 'visitor@sandbox.invalid', groups: ['everyone'] },
];
