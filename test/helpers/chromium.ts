import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { WebSocket } from 'undici';

/** A headless Chromium driven over the DevTools protocol, with no npm dependency beyond undici. */

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--remote-debugging-port=0',
];
/** Each protocol step; raise it on a slow machine. */
const STEP_MS = Number(process.env.ASSAY_CHROMIUM_TIMEOUT_MS) || 15_000;

/** $CHROMIUM, else the first of the usual names on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.CHROMIUM ? [env.CHROMIUM] : (env.PATH ?? '').split(delimiter).flatMap((dir) => NAMES.map((name) => join(dir, name)));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The fields of DevTools protocol events and replies this helper reads. */
interface Payload {
  targetId?: string;
  sessionId?: string;
  type?: string;
  args?: { value?: unknown; description?: string }[];
  entry?: { level: string; source: string; text: string };
  exceptionDetails?: { text: string; exception?: { description?: string } };
  result?: { value?: unknown };
}

interface Message {
  id?: number;
  method?: string;
  params?: Payload;
  result?: Payload;
  error?: { message: string };
  sessionId?: string;
}

export interface Page {
  /** Console errors, uncaught exceptions and error log entries (CSP violations, failed loads). */
  errors: string[];
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** A real mouse click at the centre of the element. */
  click(selector: string): Promise<void>;
  /** Types into the element as a user would (focus, then text input). */
  type(selector: string, text: string): Promise<void>;
}

export interface Browser {
  open(url: string, options?: { javascript?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

function withTimeout<T>(promise: Promise<T>, what: string, ms = STEP_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`chromium: ${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function devtoolsUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (match) resolve(match[1]);
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`chromium exited (${code}) before listening:\n${text.slice(-2000)}`)));
  });
}

export async function launchChromium(bin: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'assay-chromium-'));
  const child = spawn(bin, [...FLAGS, `--user-data-dir=${profile}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
  // If the test process dies before afterAll (a killed worker), take the browser with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  // Chromium writes its profile until it has exited, so the folder goes only after the exit.
  const kill = async () => {
    if (isRunning()) await withTimeout(exited, 'exiting', 5_000).catch(() => {});
    if (isRunning()) child.kill('SIGKILL');
    await exited;
    rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  };
  let ws: WebSocket;
  try {
    ws = new WebSocket(await withTimeout(devtoolsUrl(child), 'starting'));
    await withTimeout(
      new Promise((resolve, reject) => {
        ws.addEventListener('open', resolve);
        ws.addEventListener('error', reject);
      }),
      'connecting',
    );
  } catch (error) {
    child.kill('SIGKILL');
    await kill();
    throw error;
  }
  let nextId = 1;
  const pending = new Map<number, { resolve(value: Payload): void; reject(error: Error): void }>();
  const listeners = new Set<(message: Message) => void>();
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as Message;
    if (message.id === undefined) {
      for (const listen of listeners) listen(message);
      return;
    }
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiting?.reject(new Error(message.error.message));
    else waiting?.resolve(message.result ?? {});
  });
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) => {
    const id = nextId++;
    const reply = new Promise<Payload>((resolve, reject) => pending.set(id, { resolve, reject }));
    ws.send(JSON.stringify({ id, method, params, sessionId }));
    return withTimeout(reply, method);
  };
  const next = (predicate: (message: Message) => boolean, what: string) =>
    withTimeout(
      new Promise<Message>((resolve) => {
        const listen = (message: Message) => {
          if (!predicate(message)) return;
          listeners.delete(listen);
          resolve(message);
        };
        listeners.add(listen);
      }),
      what,
    );

  async function open(url: string, options: { javascript?: boolean } = {}): Promise<Page> {
    const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const errors: string[] = [];
    listeners.add(({ method, params, sessionId: from }) => {
      if (from !== sessionId || !params) return;
      if (method === 'Runtime.exceptionThrown' && params.exceptionDetails)
        errors.push(params.exceptionDetails.exception?.description ?? params.exceptionDetails.text);
      if (method === 'Runtime.consoleAPICalled' && ['error', 'assert'].includes(params.type ?? ''))
        errors.push((params.args ?? []).map((a) => a.value ?? a.description).join(' '));
      if (method === 'Log.entryAdded' && params.entry?.level === 'error') errors.push(`${params.entry.source}: ${params.entry.text}`);
    });
    for (const domain of ['Runtime', 'Log', 'Page']) await send(`${domain}.enable`, {}, sessionId);
    if (options.javascript === false) await send('Emulation.setScriptExecutionDisabled', { value: true }, sessionId);
    const loaded = next((m) => m.method === 'Page.loadEventFired' && m.sessionId === sessionId, `loading ${url}`);
    await send('Page.navigate', { url }, sessionId);
    await loaded;
    const evaluate = async <T>(expression: string): Promise<T> => {
      const reply = await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId);
      if (reply.exceptionDetails) throw new Error(`in the page: ${reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text}`);
      return reply.result?.value as T;
    };
    return {
      errors,
      evaluate,
      async click(selector) {
        const at = await evaluate<{ x: number; y: number } | null>(`(() => {
          const el = document.querySelector(${JSON.stringify(selector)});
          if (!el) return null;
          el.scrollIntoView({ block: 'center' });
          const r = el.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        })()`);
        if (!at) throw new Error(`no element matches ${selector}`);
        for (const type of ['mousePressed', 'mouseReleased']) await send('Input.dispatchMouseEvent', { type, ...at, button: 'left', clickCount: 1 }, sessionId);
      },
      async type(selector, text) {
        await evaluate(`document.querySelector(${JSON.stringify(selector)}).focus()`);
        await send('Input.insertText', { text }, sessionId);
      },
    };
  }

  return {
    open,
    async close() {
      await send('Browser.close').catch(() => {});
      ws.close();
      await kill();
    },
  };
}
