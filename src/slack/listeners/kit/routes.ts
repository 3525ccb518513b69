import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  MessageShortcut,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type EventArgs<E extends string> = SlackEventMiddlewareArgs<E> & AllMiddlewareArgs;
type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;
type Handler<A> = (args: A) => Promise<void>;

/**
 * Every listener, found by a table lookup instead of by Bolt. Bolt runs each registered listener's
 * filters (type, then constraints) as a chain of promises for every request, so ~70 listeners cost
 * a slash command most of its CPU; here each surface is one Bolt listener that looks its handler up
 * by id (issue 10's profile: Bolt's middleware loop was ~30% of a /ratchet help). Matching is
 * Bolt's for the shapes the kit uses: an action by action_id (exact or RegExp), a view submission
 * by callback_id, a command by name, an event by type, a message shortcut by callback_id. A request
 * no handler takes is left unacknowledged, for ackUnhandled to answer as before.
 */
class Routes {
  private readonly actions = new Map<string, Handler<ActionArgs>>();
  private readonly actionPatterns: [RegExp, Handler<ActionArgs>][] = [];
  private readonly views = new Map<string, Handler<ViewArgs>>();
  private readonly commands = new Map<string, Handler<CommandArgs>>();
  private readonly events = new Map<string, Handler<EventArgs<string>>>();
  private readonly shortcuts = new Map<string, Handler<ShortcutArgs>>();

  constructor(app: App) {
    app.action<BlockAction>(/^/, async (args) => {
      const id = args.action.action_id;
      const handler = this.actions.get(id) ?? this.actionPatterns.find(([re]) => re.test(id))?.[1];
      await handler?.(args);
    });
    app.view<ViewSubmitAction>(/^/, async (args) => {
      await this.views.get(args.view.callback_id)?.(args);
    });
    app.command(/^/, async (args) => {
      await this.commands.get(args.command.command)?.(args);
    });
    app.event(/^/, async (args) => {
      await this.events.get(args.event.type)?.(args);
    });
    app.shortcut<MessageShortcut>({ type: "message_action" }, async (args) => {
      await this.shortcuts.get(args.shortcut.callback_id)?.(args);
    });
  }

  action(id: string | RegExp, handler: Handler<ActionArgs>): void {
    if (typeof id !== "string") this.actionPatterns.push([id, handler]);
    else add(this.actions, id, handler, "action");
  }

  view(callbackId: string, handler: Handler<ViewArgs>): void {
    add(this.views, callbackId, handler, "view");
  }

  command(name: string, handler: Handler<CommandArgs>): void {
    add(this.commands, name, handler, "command");
  }

  event<E extends string>(type: E, handler: Handler<EventArgs<E>>): void {
    // The table holds every event type's handler; the lookup by `type` is what makes the cast true.
    add(this.events, type, handler as unknown as Handler<EventArgs<string>>, "event");
  }

  messageShortcut(callbackId: string, handler: Handler<ShortcutArgs>): void {
    add(this.shortcuts, callbackId, handler, "shortcut");
  }

  /** What is routed, by surface: for the fuzz test, which sends every entry point hostile input. */
  registered() {
    return {
      actions: [...this.actions.keys(), ...this.actionPatterns.map(([re]) => re)],
      views: [...this.views.keys()],
      commands: [...this.commands.keys()],
      events: [...this.events.keys()],
      shortcuts: [...this.shortcuts.keys()],
    };
  }
}

/** Two handlers for one id would be a wiring mistake (Bolt would silently run both): fail at start. */
function add<H>(table: Map<string, H>, id: string, handler: H, what: string): void {
  if (table.has(id)) throw new Error(`two listeners for the ${what} "${id}"`);
  table.set(id, handler);
}

const byApp = new WeakMap<App, Routes>();

/** The app's routing table, created (with its one Bolt listener per surface) on first use. */
export function routes(app: App): Routes {
  let r = byApp.get(app);
  if (!r) {
    r = new Routes(app);
    byApp.set(app, r);
  }
  return r;
}
