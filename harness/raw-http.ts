// HTTP requests from a chosen loopback source address (127.0.0.2, 127.0.0.3, ...): the server sees
// distinct client IPs, as it would for players on different networks. Linux routes all of 127/8 to lo.
import http from "node:http";

export interface RawResponse { status: number; headers: http.IncomingHttpHeaders; body: string; json(): any }

export function rawRequest(port: number, method: string, path: string, opts: { from?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, localAddress: opts.from ?? "127.0.0.1", headers: opts.headers, agent: false }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (c) => { data += c; });
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: data, json: () => JSON.parse(data) }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: no answer within 10 s`)));
    req.on("error", reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** POST /matchmake/joinById/<roomId> with JSON options, from `from`. */
export function joinById(port: number, roomId: string, options: Record<string, unknown>, from?: string): Promise<RawResponse> {
  return rawRequest(port, "POST", `/matchmake/joinById/${roomId}`, { from, headers: { "content-type": "application/json" }, body: JSON.stringify(options) });
}

export function createBattle(port: number, options: Record<string, unknown>, from?: string): Promise<RawResponse> {
  return rawRequest(port, "POST", "/matchmake/create/battle", { from, headers: { "content-type": "application/json" }, body: JSON.stringify(options) });
}
