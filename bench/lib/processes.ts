import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A server the benchmark started in its own process (the app, the emulator, a baseline). */
export interface ServerProcess {
  name: string;
  pid: number;
  /** Resident memory now and the high-water mark, from /proc (Linux); null elsewhere. */
  rss(): { rssBytes: number; peakBytes: number } | null;
  /** CPU time (user + system) the process has used so far, from /proc (Linux; 10 ms ticks); null elsewhere. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

/**
 * Starts `node [nodeArgs] --import tsx <script>` with the given environment, its output to a log file,
 * and waits until `readyUrl` answers 2xx. Bounded: gives up after `timeoutMs`.
 */
export async function startServer(params: {
  name: string;
  script: string;
  args?: string[];
  env: Record<string, string>;
  readyUrl: string;
  logFile: string;
  nodeArgs?: string[];
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const log = createWriteStream(params.logFile);
  const child: ChildProcess = spawn(process.execPath, [...(params.nodeArgs ?? []), "--import", "tsx", params.script, ...(params.args ?? [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...params.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = code ?? (signal ? 128 : 0);
      resolve();
    });
  });
  const deadline = Date.now() + (params.timeoutMs ?? 60_000);
  for (;;) {
    if (exited !== null) throw new Error(`${params.name} exited with ${exited} before it was ready; see ${params.logFile}`);
    try {
      const response = await fetch(params.readyUrl, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${params.name} was not ready within ${params.timeoutMs ?? 60_000} ms; see ${params.logFile}`);
    }
    await sleep(200);
  }
  const pid = child.pid ?? 0;
  return {
    name: params.name,
    pid,
    rss: () => readRss(pid),
    cpuMs: () => readCpuMs(pid),
    async stop() {
      if (exited !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exit;
      clearTimeout(timer);
      log.end();
    },
  };
}

export function readRss(pid: number): { rssBytes: number; peakBytes: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
    return { rssBytes: kb("VmRSS"), peakBytes: kb("VmHWM") };
  } catch {
    return null;
  }
}

/** utime + stime of /proc/<pid>/stat, in ms (USER_HZ is 100 on Linux). */
export function readCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
