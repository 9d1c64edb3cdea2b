// Starts the real product as a child process (`node --import tsx src/main.ts`) on a free port with a
// fresh SQLite file, as `npm start` does, and stops it afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStorage, openDatabase, type OrgScope } from '../../src/storage/index.ts';

export interface RunningServer {
  readonly url: string;
  /** The server's SQLite file (a test may open it beside the server, to set up what no form can). */
  readonly databaseFile: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'throughline-e2e-'));
  const port = await freePort();
  const databaseFile = path.join(dir, 'e2e.sqlite');
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '..', '..'),
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${databaseFile}`,
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy in 60 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    databaseFile,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `work` with the demo council's scope on the server's own database file, for set-up that no
 * form can do yet, and closes that connection afterwards.
 */
export async function withDemoCouncil<T>(
  server: RunningServer,
  work: (scope: OrgScope) => Promise<T>,
): Promise<T> {
  const db = openDatabase({ kind: 'sqlite', file: server.databaseFile });
  try {
    const org = await db.kysely
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'demo-borough-council')
      .executeTakeFirstOrThrow();
    return await work(createStorage(db).scope(org.id, { userId: null, label: 'e2e' }));
  } finally {
    await db.close();
  }
}
