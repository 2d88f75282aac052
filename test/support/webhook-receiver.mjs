// A webhook receiver in its own process, as a user's would be: it verifies each request with
// the standardwebhooks library and prints one JSON line per request. What each path answers,
// and the secret it verifies with, come from the JSON file named by argv[2], read on every
// request: { "/path": { "secret": "whsec_…", "mode": "ok" | "fail" | "retry-after" | "hang" } }.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const configFile = process.argv[2];
const seen = new Set();

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const config = JSON.parse(readFileSync(configFile, 'utf8'))[req.url] ?? { mode: 'missing' };
    let verified = false;
    let payload = null;
    try {
      payload = new Webhook(config.secret ?? 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').verify(
        body,
        req.headers,
      );
      verified = true;
    } catch {
      payload = JSON.parse(body);
    }
    const id = req.headers['webhook-id'];
    const first = !seen.has(`${req.url} ${id}`);
    seen.add(`${req.url} ${id}`);
    let status = 200;
    if (config.mode === 'fail' || config.mode === 'missing') status = 500;
    if (config.mode === 'retry-after' && first) status = 503;
    const line = {
      path: req.url,
      id,
      type: payload?.type,
      verified,
      status,
      at: Date.now(),
      data: payload?.data,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    if (config.mode === 'hang') return;
    if (status === 503) res.setHeader('retry-after', '1');
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(status === 200 ? 'ok' : 'not now');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
