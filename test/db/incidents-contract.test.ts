import { describeIncidentsContract } from "../support/fakes/incidents-contract.js";
import { prismaAvailable, prismaImplementation } from "../support/repositories.js";

// PrismaIncidentRepository on this run's database; the in-memory fake passes the same contract (test/unit/fakes).
if (prismaAvailable) describeIncidentsContract(prismaImplementation);
