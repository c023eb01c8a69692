import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';

/**
 * An agent for the CRM client libraries that take no AbortSignal (@hubspot/api-client passes its
 * `httpAgent` to node-fetch, lib/codegen/…/http/isomorphic-fetch.js): a socket that carries
 * nothing for `ms` is destroyed, so a call the CRM never answers fails (ETIMEDOUT) instead of
 * staying open after the circuit breaker has given up on it. Undefined when `ms` is 0 (no deadline).
 */
export function socketDeadlineAgent(baseUrl: string, ms: number): http.Agent | undefined {
  if (ms <= 0) return undefined;
  // `timeout` as well: the agent resets a kept-alive socket's timeout to its own when the socket is freed (_http_agent.js 'free').
  const options = { keepAlive: true, timeout: ms };
  const agent = baseUrl.startsWith('https:') ? new https.Agent(options) : new http.Agent(options);
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (connectOptions, callback) => {
    const socket = create(connectOptions, callback) as (Duplex & { setTimeout(ms: number): void }) | null | undefined;
    socket?.setTimeout(ms);
    socket?.on('timeout', () => socket.destroy(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' })));
    return socket;
  };
  return agent;
}
