import { describeDebriefsContract } from "../support/fakes/debriefs-contract.js";
import { prismaAvailable, prismaImplementation } from "../support/repositories.js";

// PrismaDebriefRepository on this run's database; the in-memory fake passes the same contract (test/unit/fakes).
if (prismaAvailable) describeDebriefsContract(prismaImplementation);
