import { PrismaMechanismRepository } from "../../../src/mechanisms/mechanism-repository.js";
import { PrismaReviewRepository } from "../../../src/reviews/review-repository.js";
import { PrismaTeamRepository } from "../../../src/teams/team-repository.js";
import { describeRepositoryContract } from "../../support/fakes/repository-contract.js";
import { createTestDb } from "../../support/test-db.js";

describeRepositoryContract("prisma", async () => {
  const t = await createTestDb();
  return {
    teams: new PrismaTeamRepository(t.db),
    mechanisms: new PrismaMechanismRepository(t.db),
    reviews: new PrismaReviewRepository(t.db),
    close: () => t.close(),
  };
});
