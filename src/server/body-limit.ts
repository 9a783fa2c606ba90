// The body-size limit of every HTTP route, matchmaking included (the gate runs it before Colyseus'
// router and express). A body declared larger than the limit is refused with 413 before a byte of
// it is read; a body without a declared length is counted while it streams in and refused the
// moment it passes the limit. Nothing of a refused body is kept. Bodies within the limit are kept
// as a string on `req.body`, where Colyseus' matchmaking router reads them (it parses the JSON).
// After a 413 the rest of the upload is read and dropped for at most LINGER_MS, so that a client
// still writing reads the answer before the connection is cut (cutting at once resets the
// connection under it, and the answer is lost); then the connection is closed.
// Not body-parser (express.text): over its limit it reads off the whole body before it answers.
import type { RequestHandler } from "express";
import { notify } from "./observers";
import { normaliseIp } from "./blocklist";

const LINGER_MS = 2000;

export function bodyLimit(limit: number): RequestHandler {
  return (req, res, next) => {
    const declared = req.headers["content-length"];
    const chunked = req.headers["transfer-encoding"] !== undefined;
    if (!chunked && (declared === undefined || declared === "0")) return next();
    let over = false;
    const refuse = (received: string) => {
      over = true;
      notify("securityEvent", { kind: "bodyTooLarge", ip: normaliseIp(req.socket.remoteAddress), reason: `${req.method} ${req.path}: ${received} bytes, over ${limit}` });
      res.status(413).json({ error: `request body over ${limit} bytes` });
      const socket = req.socket;
      const cut = setTimeout(() => socket.destroy(), LINGER_MS);
      socket.once("close", () => clearTimeout(cut));
    };
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
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
    if (!chunked && Number(declared) > limit) refuse(`declared ${declared}`);
  };
}
