import { PrismaMechanismRepository } from "../../src/mechanisms/mechanism-repository.js";
import { PrismaReviewRepository } from "../../src/reviews/review-repository.js";
import { PrismaTeamRepository } from "../../src/teams/team-repository.js";
import { describeRepositoryContract } from "../support/fakes/repository-contract.js";
import { createTestDb, postgresSkipReason, testProvider } from "../support/test-db.js";

// The in-memory fakes and the Prisma repositories pass the same contract, so service unit
// tests on the fakes say something true about production.
if (!postgresSkipReason) {
  describeRepositoryContract(`prisma [${testProvider}]`, async () => {
    const t = await createTestDb();
    return {
      teams: new PrismaTeamRepository(t.db),
      mechanisms: new PrismaMechanismRepository(t.db),
      reviews: new PrismaReviewRepository(t.db),
      close: () => t.close(),
    };
  });
}
