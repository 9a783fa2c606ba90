// The body-size limit of every HTTP route, matchmaking included (the gate runs it before Colyseus'
// router and express). A body declared larger than the limit is refused with 413 before a byte of
// it is read; a body without a declared length is counted while it streams in and refused the
// moment it passes the limit. Either way the connection is closed with the answer, so the rest is
// never read. Bodies within the limit are kept as a string on `req.body`, where Colyseus'
// matchmaking router reads them (it parses the JSON itself).
// Not body-parser (express.text): on a body over its limit it reads off the whole body before it
// answers, and a 32 MB upload would be received in full just to be refused.
import type { RequestHandler } from "express";
import { notify } from "../../rooms/observers";
import { normaliseIp } from "../../rooms/blocklist";

export function bodyLimit(limit: number): RequestHandler {
  return (req, res, next) => {
    const declared = req.headers["content-length"];
    const chunked = req.headers["transfer-encoding"] !== undefined;
    if (!chunked && (declared === undefined || declared === "0")) return next();
    const refuse = (received: string) => {
      notify("securityEvent", { kind: "bodyTooLarge", ip: normaliseIp(req.socket.remoteAddress), reason: `${req.method} ${req.path}: ${received} bytes, over ${limit}` });
      res.setHeader("Connection", "close");
      res.status(413).json({ error: `request body over ${limit} bytes` });
    };
    if (!chunked && Number(declared) > limit) return refuse(`declared ${declared}`);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        refuse(`more than ${limit}`);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (over) return;
      (req as { body?: unknown }).body = Buffer.concat(chunks).toString("utf8");
      next();
    });
    req.on("error", () => { if (!res.headersSent) res.destroy(); });
  };
}
