import { readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The heaviest functions of a `node --cpu-prof` profile by self time, and the share of each area
 * (the app's own code, Prisma, Express, zlib...), so a note can name what costs.
 */
export function summarizeProfile(file: string, root: string, top: number): string[] {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, micros] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^file:\/\//, "").replace(`${root}/`, "");
    const key = `${functionName || "(anonymous)"} ${where ? `${where}:${lineNumber + 1}` : ""}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    const area = areaOf(where, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + micros);
  }
  const pct = (v: number) => `${((100 * v) / total).toFixed(1)}%`.padStart(6);
  const areas = [...byArea].sort((a, b) => b[1] - a[1]).map(([area, v]) => `${pct(v)}  ${area}`);
  const functions = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, v]) => `${pct(v)}  ${fn}`);
  return [`total sampled ${(total / 1e6).toFixed(1)} s`, "by area:", ...areas, `top ${top} functions by self time:`, ...functions];
}

function areaOf(where: string, functionName: string): string {
  if (where === "") return functionName.startsWith("(") ? functionName : "node internals";
  if (where.startsWith("node:")) return `node ${where.slice(5).split("/")[0]}`;
  const match = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(where);
  if (match) return match[1] ?? "node_modules";
  if (where.startsWith("app/")) return `app/${where.split("/")[1] ?? ""}`;
  return path.dirname(where);
}
