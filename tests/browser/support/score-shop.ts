// Scores every subscriber of one shop, as the worker would after an install (then the score
// check that follows a finished rescore run): run in a
// child process (`npx tsx`) by the browser harness, so the app's database client binds
// to the harness's SQLite file, not to the test runner's own.
//
//   DATABASE_URL=file:... npx tsx tests/browser/support/score-shop.ts <shop> <now ISO>
async function main(): Promise<void> {
  const [shop, nowIso] = process.argv.slice(2);
  if (!shop || !nowIso) throw new Error("usage: score-shop.ts <shop> <now ISO>");
  const now = new Date(nowIso);
  const { default: prisma } = await import("../../../app/db.server");
  const { startRescore, scoreDirtySubscribers } = await import("../../../app/rescore/index.server");
  await startRescore(shop, "browser test seed", now);
  while ((await scoreDirtySubscribers(now, 2000)) > 0);
  const { runScoreCheck } = await import("../../../app/health/score-check.server");
  await runScoreCheck(shop, now);
  await prisma.$disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
