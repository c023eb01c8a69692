#!/usr/bin/env node
// Control for the HTTP benchmark: a bare node:http server on loopback that reads the JSON body and
// answers a prediction-sized JSON document, with no framework and no model. The same fixed-rate client
// against it gives the latency floor of this machine at the time of the run (scheduler, loopback,
// Node), to read the scorer's figures against. Prints "READY <port>".
//   node bench/scorer/loopback-echo-server.mjs
import http from 'node:http';

const answer = JSON.stringify({ churn_probability: 0.5, padding: 'x'.repeat(1500) });
const server = http.createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    JSON.parse(body);
    response.writeHead(200, { 'content-type': 'application/json' }).end(answer);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
