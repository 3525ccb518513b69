import { describeDebriefsContract } from "../../support/fakes/debriefs-contract.js";
import { inMemoryImplementation } from "../../support/repositories.js";

// The fake keeps the contract PrismaDebriefRepository keeps on both databases (test/db/debriefs-contract.test.ts).
describeDebriefsContract(inMemoryImplementation);
