// abTest, sampleSize and welchTest through the package: published reference values,
// scipy fixtures, and bad input as coded InsituErrors.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Insitu, InsituError, abTest, sampleSize, welchTest } from "../../dist/node.js";

const reference = JSON.parse(readFileSync(new URL("../fixtures/stats/reference.json", import.meta.url), "utf8"));

const close = (got, want, rel, what) =>
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: got ${got}, want ${want}`);

const rejects = (f, code, pattern) =>
  assert.throws(f, (e) => {
    assert.ok(e instanceof InsituError, `not an InsituError: ${e}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  });

test("standalone functions need the engine loaded first", async () => {
  // This file's first test: nothing has loaded the engine yet in this process.
  rejects(() => abTest({ variants: [] }), "not_loaded", /Insitu\.load\(\)/);
  rejects(() => sampleSize({ baseline: 0.1, minDetectableEffect: 0.02 }), "not_loaded", /Insitu\.load/);
  await Insitu.load();
});

test("the published A/B reference: z = 2.1027, p = 0.0355, P(B>A) = 0.982", async () => {
  await Insitu.load();
  const r = abTest({
    variants: [
      { name: "control", exposures: 1000, conversions: 100 },
      { name: "treatment", exposures: 1000, conversions: 130 },
    ],
  });
  assert.equal(r.z.toFixed(4), "2.1027");
  assert.equal(r.pValue.toFixed(4), "0.0355");
  assert.equal(r.probabilityToBeat.toFixed(3), "0.982");
  assert.equal(r.significant, true);
  assert.equal(r.notEnoughData, false);
  close(r.lift, 0.3, 1e-12, "lift");
  const z = reference.zTest[0];
  close(r.difference.low, z.difference[0], 1e-10, "difference low");
  close(r.difference.high, z.difference[1], 1e-10, "difference high");
  assert.equal(r.variants[0].difference, null);
  assert.equal(r.variants[1].rate.value, 0.13);
});

test("three variants: chi-square and probability to be best against scipy", async () => {
  await Insitu.load();
  const c = reference.chiSquare[1];
  const r = abTest({ variants: c.counts.map(([conversions, exposures]) => ({ exposures, conversions })) });
  assert.equal(r.method, "chiSquare");
  close(r.pValue, c.pValue, 1e-10, "chi-square p");
  assert.equal(r.chiSquare.df, 3);
  assert.equal(r.treatment, "D", "the best-performing non-control variant");
  const best = reference.probabilityToBeBest[1].best;
  r.variants.forEach((v, i) => assert.ok(Math.abs(v.probabilityToBeBest - best[i]) < 0.005, `${v.name}`));
  assert.deepEqual(abTest({ variants: c.counts.map(([conversions, exposures]) => ({ exposures, conversions })) }), r, "seeded");
  assert.equal(abTest({ variants: [{ exposures: 99, conversions: 9 }, { exposures: 500, conversions: 40 }] }).notEnoughData, true);
});

test("sampleSize: 10% -> 12% needs 3,841 per arm", async () => {
  await Insitu.load();
  assert.deepEqual(sampleSize({ baseline: 0.1, minDetectableEffect: 0.02 }), {
    perVariant: 3841,
    total: 7682,
    baseline: 0.1,
    target: 0.12000000000000001,
    alpha: 0.05,
    power: 0.8,
  });
  for (const c of reference.sampleSize) {
    const r = sampleSize({ baseline: c.baseline, minDetectableEffect: c.effect, alpha: c.alpha, power: c.power, relative: c.relative });
    assert.equal(r.perVariant, c.perVariant);
  }
});

test("welchTest on arrays and on summary statistics matches scipy", async () => {
  await Insitu.load();
  for (const c of reference.welch) {
    const r = welchTest({ control: c.control, treatment: c.treatment, alpha: c.alpha });
    close(r.t, c.t, 1e-12, "t");
    close(r.pValue, c.pValue, 1e-10, "p");
    close(r.difference.low, c.low, 1e-10, "low");
    close(r.difference.high, c.high, 1e-10, "high");
  }
  const r = welchTest({ control: new Float64Array([1, 2, 3, 4]), treatment: { n: 10, mean: 5, sd: 2 } });
  assert.equal(r.control.n, 4);
});

test("bad input is a coded error naming the option", async () => {
  await Insitu.load();
  const two = (a, b) => ({ variants: [a, b] });
  rejects(() => abTest(two({ exposures: 100, conversions: 120 }, { exposures: 100, conversions: 5 })), "bad_option", /variants\[0\]\.conversions.*exceed/);
  rejects(() => abTest(two({ exposures: -5, conversions: 0 }, { exposures: 100, conversions: 5 })), "bad_option", /variants\[0\]\.exposures.*negative/);
  rejects(() => abTest(two({ exposures: 100, conversions: -1 }, { exposures: 100, conversions: 5 })), "bad_option", /negative/);
  rejects(() => abTest({ ...two({ exposures: 100, conversions: 1 }, { exposures: 100, conversions: 5 }), alpha: 1.5 }), "bad_option", /"alpha"/);
  rejects(() => abTest({ ...two({ exposures: 100, conversions: 1 }, { exposures: 100, conversions: 5 }), alpha: 0 }), "bad_option", /"alpha"/);
  rejects(() => abTest({ variantz: [] }), "bad_option", /variantz/);
  rejects(() => sampleSize({ baseline: 0.1, minDetectableEffect: 0.02, power: 1 }), "bad_option", /"power"/);
  rejects(() => sampleSize({ baseline: 0.1, minDetectableEffect: 0.02, power: 0 }), "bad_option", /"power"/);
  rejects(() => sampleSize({ baseline: 0, minDetectableEffect: 0.02 }), "bad_option", /"baseline"/);
  rejects(() => sampleSize({ baseline: 1, minDetectableEffect: 0.02 }), "bad_option", /"baseline"/);
  rejects(() => welchTest({ control: [1, Number.NaN], treatment: [1, 2] }), "bad_option", /control\[1\]/);
});
