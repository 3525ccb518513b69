import { describeDeviationsContract } from "../support/fakes/deviations-contract.js";
import { prismaAvailable, prismaImplementation } from "../support/repositories.js";

// The DeviationRepository contract on a real database; the in-memory fake passes the same one (test/unit/fakes).
if (prismaAvailable) describeDeviationsContract(prismaImplementation);
