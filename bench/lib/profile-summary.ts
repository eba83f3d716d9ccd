import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * `node --import tsx bench/lib/profile-summary.ts <file.cpuprofile> [top]`: where a `node --cpu-prof`
 * profile's samples fall, by package or app folder and by function (self time), for the RESULTS notes.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-summary <file.cpuprofile> [top]");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const area = (url: string, name: string): string => {
  if (name === "(idle)" || name === "(program)" || name === "(garbage collector)") return name;
  if (!url) return "(native/builtin)";
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1]) return nm[1] === ".prisma" || url.includes("prisma/generated") ? "prisma generated client" : nm[1];
  if (url.includes("prisma/generated")) return "prisma generated client";
  const app = /\/(app\/[^/]+(?:\/[^/]+)?)\//.exec(url);
  if (app?.[1]) return app[1];
  if (url.startsWith("node:")) return "node core";
  return path.basename(url);
};

const areas = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const a = area(url, functionName);
  areas.set(a, (areas.get(a) ?? 0) + us);
  const key = `${functionName || "(anonymous)"}  ${url ? `${url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*?\/(app|bench)\//, "$1/")}:${lineNumber + 1}` : ""}`;
  functions.set(key, (functions.get(key) ?? 0) + us);
}
const top = Number(topArg ?? 25);
const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n\nby area (self time)\n`);
for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, top)) process.stdout.write(`  ${pct(us)}  ${a}\n`);
process.stdout.write(`\nby function (self time)\n`);
for (const [f, us] of [...functions].sort((x, y) => y[1] - x[1]).slice(0, top)) process.stdout.write(`  ${pct(us)}  ${f}\n`);
