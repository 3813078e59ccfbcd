// Lighthouse scores of several pages in one Chromium: used by tests/browser/test_lighthouse.py.
//
//   node tools/lighthouse-scores.mjs CHROMIUM_PATH FLAGS_JSON URL...
//
// Prints one JSON array: per URL the scores of accessibility, best practices and SEO
// (0..1, null when Lighthouse could not audit the page), the audits that cost points,
// and Lighthouse's runtime error if any. Only these three categories run: performance
// depends on the machine, and the tests measure the project.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const CATEGORIES = ["accessibility", "best-practices", "seo"];
// FLAGS_JSON: Chromium's flags as a JSON array, the Playwright tests' own
// (tests/browser/conftest.py: Debian chromium, offline, no calls to Google services).
const [chromePath, flags, ...urls] = process.argv.slice(2);
const chromeFlags = ["--headless=new", ...JSON.parse(flags)];
const chrome = await chromeLauncher.launch({ chromePath, chromeFlags });
const results = [];
try {
  for (const url of urls) {
    const { lhr } = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: CATEGORIES,
    });
    const scores = {};
    const lost = [];
    for (const [name, category] of Object.entries(lhr.categories)) {
      scores[name] = category.score;
      for (const ref of category.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          const items = (audit.details?.items ?? []).slice(0, 5).map((item) =>
            JSON.stringify(item.node?.snippet ?? item.href ?? item.text ?? item).slice(0, 200),
          );
          lost.push({ category: name, audit: ref.id, title: audit.title, items });
        }
      }
    }
    results.push({ url, scores, lost, error: lhr.runtimeError?.message ?? null });
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(results, null, 1) + "\n");
