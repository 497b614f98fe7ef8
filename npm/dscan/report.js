// Reports (SPEC §5a) in the npm API: the scan options `report`,
// `reportHtml` and `why`, passed to `dscan scan` as --report,
// --report-html FILE and --why FILE|PACKAGE, and `diff`, the same comparison
// as `dscan diff A.json B.json`, for CI baselines (no native call).
import fs from "node:fs";
import path from "node:path";

/** Scan options handled here (index.js accepts them). */
export const REPORT_KEYS = ["report", "reportHtml", "why"];

/** The `dscan scan` flags for the report options; a TypeError names a bad one. */
export function reportArgs(options) {
  const args = [];
  const { report, reportHtml, why } = options;
  if (report !== undefined) {
    if (typeof report !== "boolean") throw new TypeError("invalid option 'report': expected a boolean");
    if (report) args.push("--report");
  }
  if (reportHtml !== undefined) {
    if (typeof reportHtml !== "string" || reportHtml === "")
      throw new TypeError("invalid option 'reportHtml': expected a non-empty string");
    args.push("--report-html", path.resolve(reportHtml));
  }
  if (why !== undefined) {
    if (typeof why !== "string" || why === "") throw new TypeError("invalid option 'why': expected a non-empty string");
    args.push("--why", why); // relative to root, as dscan takes it
  }
  return args;
}

/** The result's `report` and `why`, when the scan was asked for them. */
export function reportFields(json) {
  const out = {};
  if (json.report !== undefined) out.report = json.report;
  if (json.why !== undefined) out.why = json.why;
  return out;
}

const LISTS = ["client", "server"];

// A result object, or a path to a JSON file holding one (`dscan scan --json`
// output, or JSON.stringify of scanDirectives' result). Only the lists are
// read. A TypeError names what is wrong, as `dscan diff` exits 2.
function listsOf(x, which) {
  let r = x;
  let from = `result ${which}`;
  if (typeof x === "string") {
    from = `'${x}'`;
    let text;
    try {
      text = fs.readFileSync(x, "utf8");
    } catch (e) {
      throw new TypeError(`cannot read ${from}: ${e.message}`);
    }
    try {
      r = JSON.parse(text);
    } catch (e) {
      throw new TypeError(`cannot parse ${from}: ${e.message}`);
    }
  }
  if (!r || typeof r !== "object" || Array.isArray(r))
    throw new TypeError(`${from} is not a dscan result: expected an object with "client" and "server" lists`);
  const where = new Map();
  for (const list of LISTS) {
    const v = r[list];
    if (!Array.isArray(v)) throw new TypeError(`${from} is not a dscan result: "${list}" must be a list of paths`);
    v.forEach((p, i) => {
      if (typeof p !== "string") throw new TypeError(`${from} is not a dscan result: item ${i + 1} of "${list}" is not a path`);
      // A path in both lists counts as client, as "use client" wins in a file.
      if (!where.has(p)) where.set(p, list);
    });
  }
  return where;
}

const byteOrder = (a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b)));

/**
 * Modules that moved into, out of, or between the client and server lists
 * from `a` (the baseline) to `b`: {added: [{path, list}], removed: [{path,
 * list}], moved: [{path, from, to}], changed}. Each list is sorted by path,
 * byte-wise, as `dscan diff --json` prints them.
 */
export function diff(a, b) {
  const before = listsOf(a, "A");
  const after = listsOf(b, "B");
  const added = [];
  const removed = [];
  const moved = [];
  for (const [path, list] of before) {
    const now = after.get(path);
    if (now === undefined) removed.push({ path, list });
    else if (now !== list) moved.push({ path, from: list, to: now });
  }
  for (const [path, list] of after) if (!before.has(path)) added.push({ path, list });
  for (const v of [added, removed, moved]) v.sort((x, y) => byteOrder(x.path, y.path));
  return { added, removed, moved, changed: added.length + removed.length + moved.length > 0 };
}
