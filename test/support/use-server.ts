// The set-up every server test shares: a real in-process server (harness/server.ts) started
// before the tests of the describe block that calls this and closed after them (or around each
// test with `each`). Returns a getter, since the server exists only once the hook has run.
import { startServer, type TestServer } from "../../harness/server";
import { NetSim } from "../../harness/netsim";

export interface UseServerOptions {
  /** Keep the production rate limits and intrusion detection (the security tests). */
  humanLimits?: boolean;
  /** A new server for each test instead of one for the block. */
  each?: boolean;
}

export function useServer(env: Record<string, string> | (() => Record<string, string>) = {}, opts: UseServerOptions = {}): () => TestServer {
  let server: TestServer | undefined;
  (opts.each ? beforeEach : before)(async () => {
    server = await startServer(typeof env === "function" ? env() : env, { humanLimits: opts.humanLimits });
  });
  (opts.each ? afterEach : after)(async () => {
    await server?.close();
    server = undefined;
  });
  return () => {
    if (!server) throw new Error("useServer: the server runs only during the tests of the block that asked for it");
    return server;
  };
}

/**
 * A network-conditions proxy (harness/netsim.ts) in front of the block's server, started after it
 * and closed after the block's tests: clients that connect through it can be cut or blackholed.
 */
export function useProxy(server: () => TestServer): () => NetSim {
  let proxy: NetSim | undefined;
  before(async () => {
    proxy = await NetSim.start({ targetPort: server().port });
  });
  after(async () => {
    await proxy?.close();
    proxy = undefined;
  });
  return () => {
    if (!proxy) throw new Error("useProxy: the proxy runs only during the tests of the block that asked for it");
    return proxy;
  };
}
