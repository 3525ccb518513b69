import { describeIncidentsContract } from "../../support/fakes/incidents-contract.js";
import { inMemoryImplementation } from "../../support/repositories.js";

// The fake keeps the contract PrismaIncidentRepository keeps on both databases (test/db/incidents-contract.test.ts).
describeIncidentsContract(inMemoryImplementation);
