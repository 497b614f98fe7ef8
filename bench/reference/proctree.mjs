// proctree.mjs — resident memory of a whole process tree, from /proc (Linux).
//
// Why: the reference scan runs node plus esbuild's service as a child process;
// /usr/bin/time -v and getrusage report only one process. We sum VmRSS over
// the root and all its descendants (shared pages are counted once per process,
// which is what "memory the runner needs" means for an OOM on CI).
import fs from "node:fs";

// Children of one pid: /proc/PID/task/*/children when the kernel has it
// (CONFIG_PROC_CHILDREN), else a scan of every /proc/*/stat for the ppid.
const HAVE_CHILDREN_FILE = (() => {
  try { fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/children`); return true; } catch { return false; }
})();

function childrenOf(pid, ppidMap) {
  if (ppidMap) return ppidMap.get(pid) ?? [];
  const out = [];
  let tasks;
  try { tasks = fs.readdirSync(`/proc/${pid}/task`); } catch { return out; }
  for (const t of tasks) {
    try {
      const s = fs.readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim();
      if (s) for (const c of s.split(/\s+/)) out.push(Number(c));
    } catch { /* task gone */ }
  }
  return out;
}

function buildPpidMap() {
  const map = new Map();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      // comm may contain spaces/parens: fields after the last ")" are fixed.
      const ppid = Number(s.slice(s.lastIndexOf(")") + 2).split(" ")[1]);
      if (!map.has(ppid)) map.set(ppid, []);
      map.get(ppid).push(Number(d));
    } catch { /* process gone */ }
  }
  return map;
}

export function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;   // kernel threads / zombies have no VmRSS
  } catch { return 0; }
}

// One sample: {totalKb, maxKb, procs} over rootPid and all its descendants.
export function sampleTree(rootPid) {
  const ppidMap = HAVE_CHILDREN_FILE ? null : buildPpidMap();
  let totalKb = 0, maxKb = 0, procs = 0;
  const stack = [rootPid];
  const seen = new Set();
  while (stack.length) {
    const pid = stack.pop();
    if (seen.has(pid)) continue;
    seen.add(pid);
    const kb = rssKb(pid);
    totalKb += kb; maxKb = Math.max(maxKb, kb); procs++;
    stack.push(...childrenOf(pid, ppidMap));
  }
  return { totalKb, maxKb, procs };
}
