// How the Slack client fills view.state lives with the sandbox (src/sandbox/view-state.ts).
export * from "../../src/sandbox/view-state.js";
