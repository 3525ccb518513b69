import { describeAlarmsContract } from "../../support/fakes/alarms-contract.js";
import { inMemoryImplementation } from "../../support/repositories.js";

// The fake keeps the contract PrismaAlarmRepository keeps on both databases (test/db/alarms-contract.test.ts).
describeAlarmsContract(inMemoryImplementation);
