// Loads the page of `dscan scan --report-html` in headless Chromium and
// checks it as a person would use it. Prints "ok NAME" / "FAIL NAME" lines.
//
//   node check-page.mjs PAGE.html EXPECT.json [SCREENSHOT.png]
//
// EXPECT.json is `dscan scan --json --report` of the same project (what the
// page must show), with "why" set to the --json --why output for one module.
import fs from "node:fs";
import { chromium } from "playwright-core";

const [page_, expectFile, shot] = process.argv.slice(2);
const expect = JSON.parse(fs.readFileSync(expectFile, "utf8"));
let failed = 0;
const ok = (name, cond, detail = "") => {
  console.log(`${cond ? "ok  " : "FAIL"} ${name}${cond ? "" : " " + detail}`);
  if (!cond) failed++;
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  const requests = [];
  page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
  await page.goto("file://" + page_, { waitUntil: "load" });

  ok("loads with no console error or warning", problems.length === 0, JSON.stringify(problems));
  ok("fetches nothing besides itself", requests.length === 0, JSON.stringify(requests));

  const total = expect.client.length + expect.server.length;
  ok("lists every client and server module", (await page.textContent("#count")) === `${total} of ${total} modules`,
    await page.textContent("#count"));
  const statText = await page.textContent("#stats");
  ok("shows files read", statText.includes(expect.stats.filesRead.toLocaleString("en-US")), statText);

  // Treemap: a rectangle per package (at most 40, then one "more").
  const rects = await page.locator("#treemap rect").count();
  const pk = expect.report.packages.length;
  ok("treemap: one rectangle per package", rects === Math.min(pk, 41), `${rects} for ${pk} packages`);
  const top = expect.report.packages[0];
  const title = await page.locator("#treemap rect title").first().textContent();
  ok("treemap: the largest package first, with its files", title.startsWith(`${top.name}${top.version ? "@" + top.version : ""}: ${top.files.toLocaleString("en-US")} files`), title);
  await page.click("#metric button[data-m=bytes]");
  ok("treemap: redraws by bytes", (await page.locator("#treemap rect").count()) === rects);

  // Barrels table: one row each, names imported shown as chips.
  const rows = await page.locator("#barrels tbody tr").count();
  ok("barrels: one row per barrel", rows === Math.max(1, expect.report.barrels.length), `${rows}`);
  if (expect.report.barrels.length) {
    const b = expect.report.barrels[0];
    const cell = await page.locator("#barrels tbody tr").first().textContent();
    ok("barrels: file, reached and needed shown", cell.includes(b.file) && cell.includes(b.reached.toLocaleString("en-US")), cell.slice(0, 200));
    const chips = await page.locator("#barrels tbody tr").first().locator(".chip").allTextContents();
    ok("barrels: the names imported, as chips", chips.length >= Math.min(b.importedNames.length, 24) && chips.slice(0, 3).every((c) => b.importedNames.includes(c)), JSON.stringify(chips.slice(0, 5)));
  }

  // Filter: words match path or package, case-insensitive; side buttons.
  const visible = () => page.locator("#modules li.mod:not([hidden])").count();
  const word = "/src/actions/";
  const want = [...expect.client, ...expect.server].filter((p) => p.toLowerCase().includes(word)).length;
  await page.fill("#filter", word.toUpperCase());
  ok(`filter '${word}' (any case) shows the matching modules`, (await visible()) === want, `${await visible()} != ${want}`);
  ok("filter: the count says so", (await page.textContent("#count")) === `${want} of ${total} modules`);
  await page.fill("#filter", "");
  await page.click("#side button[data-s=server]");
  ok("side 'server' shows the server list", (await visible()) === expect.server.length);
  await page.click("#side button[data-s=client]");
  ok("side 'client' shows the client list", (await visible()) === expect.client.length);
  await page.fill("#filter", "no module is called this");
  ok("a filter matching nothing says so", (await visible()) === 0 && (await page.locator("#nomatch").count()) === 1);
  await page.fill("#filter", "");
  await page.click("#side button[data-s=all]");

  // A treemap click filters by that package.
  const pkgWithModules = expect.report.packages.find((p) => p.name !== "(app)" && p.client + p.server > 0);
  if (pkgWithModules) {
    const label = pkgWithModules.name + (pkgWithModules.version ? "@" + pkgWithModules.version : "");
    const clicked = await page.evaluate((l) => {
      const r = [...document.querySelectorAll("#treemap rect")].find((x) => x.textContent.startsWith(l + ":"));
      if (r) r.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      return !!r;
    }, label);
    ok("treemap: the package has a rectangle", clicked, label);
    if (clicked) {
      ok("treemap click filters by its package", (await page.inputValue("#filter")) === pkgWithModules.name &&
        (await visible()) >= pkgWithModules.client + pkgWithModules.server);
      await page.fill("#filter", "");
    }
  }

  // A module's chain on demand, as --why gives it.
  const chain = expect.why[0];
  const row = page.locator("#modules li.mod", { hasText: chain.module }).first();
  await row.locator(".row").click();
  const steps = await row.locator(".chain li").allTextContents();
  ok("a module's chain opens on click, one line per step", steps.length === chain.steps.length, `${steps.length} != ${chain.steps.length}`);
  ok("the chain starts at its root with its kind", steps[0].startsWith(chain.steps[0].path) && steps[0].includes(chain.root === "entry" ? "entry" : "pre-scan root"), steps[0]);
  const last = chain.steps[chain.steps.length - 1];
  ok("each step shows the specifier as written", chain.steps.length < 2 || steps[steps.length - 1].includes(`\u2018${last.specifier}\u2019`), steps[steps.length - 1]);
  await row.locator(".row").click();
  ok("a second click closes it", (await row.locator(".chain").count()) === 0);

  ok("still no console error after use", problems.length === 0, JSON.stringify(problems));
  if (shot) {
    await page.click("#metric button[data-m=files]");
    await page.fill("#filter", "");
    await row.locator(".row").click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.screenshot({ path: shot });
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
