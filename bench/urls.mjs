// URL checker benchmark: assay's checker against a bare undici + p-limit HEAD loop,
// both against a local server (own thread, own event loop) that answers after 50 ms.
// Run alone with `node bench/urls.mjs [--quick]` after `npm run build`.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const SERVER_ROLE = 'assay-url-bench-server';
const LATENCY_MS = 50;
const HOSTS = 50;
const CONCURRENCY = 64;
const PER_HOST = 8;
/** The server thread ends itself after this, whatever happens to the main thread. */
const SERVER_LIFETIME_MS = 300_000;

if (!isMainThread && workerData?.role === SERVER_ROLE) runServer();

async function runServer() {
  const stats = { requests: 0, maxInFlightPerHost: 0 };
  const servers = [];
  for (let i = 1; i <= HOSTS; i += 1) {
    const host = `127.0.0.${i}`;
    let inFlight = 0;
    const server = createServer((_req, res) => {
      stats.requests += 1;
      inFlight += 1;
      stats.maxInFlightPerHost = Math.max(stats.maxInFlightPerHost, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '0' }).end();
      }, LATENCY_MS);
    });
    server.keepAliveTimeout = 30_000;
    await new Promise((resolve) => server.listen(0, host, resolve));
    servers.push(server);
  }
  const stop = () => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    parentPort.close();
  };
  setTimeout(stop, SERVER_LIFETIME_MS).unref();
  parentPort.on('message', (message) => {
    if (message === 'stats') parentPort.postMessage({ stats: { ...stats } });
    if (message === 'reset') Object.assign(stats, { requests: 0, maxInFlightPerHost: 0 });
    if (message === 'stop') stop();
  });
  parentPort.postMessage({ ready: servers.map((server) => `${server.address().address}:${server.address().port}`) });
}

function startServerThread() {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: SERVER_ROLE } });
  const next = () =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  return {
    ready: next().then((message) => message.ready),
    async stats() {
      const reply = next();
      worker.postMessage('stats');
      return (await reply).stats;
    },
    reset: () => worker.postMessage('reset'),
    async stop() {
      worker.postMessage('stop');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

function makeUrls(origins, count, tag) {
  return Array.from({ length: count }, (_, i) => `http://${origins[i % origins.length]}/${tag}/${i}.jpg`);
}

async function bareLoop(urls) {
  const { Agent, request } = await import('undici');
  const { default: pLimit } = await import('p-limit');
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const limit = pLimit(CONCURRENCY);
  let ok = 0;
  const started = performance.now();
  await Promise.all(
    urls.map((url) =>
      limit(async () => {
        const { statusCode, headers, body } = await request(url, { method: 'HEAD', dispatcher: agent });
        await body.dump();
        if (statusCode === 200 && String(headers['content-type']).startsWith('image/')) ok += 1;
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  return { seconds, ok };
}

async function assayRun(urls, db) {
  const { createUrlChecker } = await import('../dist/urls/index.js');
  const { createUrlCache } = await import('../dist/store/url-cache.js');
  const checker = createUrlChecker({ concurrency: CONCURRENCY, perHost: PER_HOST, allowPrivateHosts: true }, { cache: createUrlCache(db) });
  const started = performance.now();
  const results = await checker.check(urls);
  const seconds = (performance.now() - started) / 1000;
  await checker.close();
  const ok = [...results.values()].filter((result) => result.state === 'valid').length;
  return { seconds, ok, stats: checker.stats() };
}

export async function runUrlBench({ quick = false } = {}) {
  const { URL_CACHE_DDL } = await import('../dist/store/url-cache.js');
  const { default: Database } = await import('better-sqlite3');
  const count = quick ? 1_000 : 5_000;
  const server = startServerThread();
  const dir = mkdtempSync(join(tmpdir(), 'assay-url-bench-'));
  const db = new Database(join(dir, 'bench.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.exec(URL_CACHE_DDL);
    const origins = await server.ready;
    await bareLoop(makeUrls(origins, 200, 'warm-bare'));
    await assayRun(makeUrls(origins, 200, 'warm-assay'), db);

    // Rounds alternate so that load from elsewhere on the machine hits both sides alike; the best of each counts.
    let bare = { seconds: Infinity };
    let first = { seconds: Infinity };
    let maxInFlightPerHost = 0;
    let urls = [];
    for (let round = 0; round < (quick ? 1 : 2); round += 1) {
      const bareRound = await bareLoop(makeUrls(origins, count, `bare-${round}`));
      if (bareRound.seconds < bare.seconds) bare = bareRound;
      server.reset();
      urls = makeUrls(origins, count, `assay-${round}`);
      const assayRound = await assayRun(urls, db);
      if (assayRound.seconds < first.seconds) first = assayRound;
      maxInFlightPerHost = Math.max(maxInFlightPerHost, (await server.stats()).maxInFlightPerHost);
    }
    const served = await server.stats();
    const second = await assayRun(urls, db);
    const afterCached = await server.stats();
    const saved = db.prepare('SELECT count(*) AS n FROM url_cache WHERE url LIKE ?').get('%/assay-0/%').n;

    const ideal = CONCURRENCY / (LATENCY_MS / 1000);
    const rate = count / first.seconds;
    const bareRate = count / bare.seconds;
    return {
      urls: count,
      hosts: HOSTS,
      latencyMs: LATENCY_MS,
      concurrency: CONCURRENCY,
      perHostLimit: PER_HOST,
      urlsPerSecond: Math.round(rate),
      idealPerSecond: ideal,
      ratioToIdeal: round(rate / ideal),
      bareUrlsPerSecond: Math.round(bareRate),
      ratioToBare: round(rate / bareRate),
      valid: first.ok,
      bareValid: bare.ok,
      resultsSaved: saved,
      maxInFlightPerHost,
      requests: first.stats.requests,
      cachedSeconds: round(second.seconds),
      firstSeconds: round(first.seconds),
      cachedRequests: afterCached.requests - served.requests,
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}

function round(value) {
  return Math.round(value * 1000) / 1000;
}

if (isMainThread && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const report = await runUrlBench({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(report, null, 2));
  const isPass = report.ratioToBare >= 0.85 && report.maxInFlightPerHost <= report.perHostLimit && report.cachedRequests === 0;
  console.log(isPass ? 'url bench: pass' : 'url bench: FAIL (target: >= 85% of the bare loop, per-host limit kept, no request when cached)');
}
