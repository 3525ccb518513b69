// The signed request sender lives with the sandbox (src/sandbox/sender.ts), which drives the app the same way.
export * from "../../src/sandbox/sender.js";
