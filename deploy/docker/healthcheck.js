// Docker HEALTHCHECK of the service images: healthy when GET /health/ready answers 200 (Kafka
// consumer joined, Postgres reachable). Node only, so the slim image needs no curl.
// Usage: node healthcheck.js [path]   (default /health/ready; PORT from the environment)
'use strict';
const path = process.argv[2] || '/health/ready';
const port = process.env.PORT || '3000';
const timer = setTimeout(() => process.exit(1), 2500);
fetch(`http://127.0.0.1:${port}${path}`)
  .then((response) => process.exit(response.ok ? 0 : 1))
  .catch(() => process.exit(1))
  .finally(() => clearTimeout(timer));
