// Sandboxed products (docs/devhost.md): each product whose PRODUCT_<SLUG>_BASE_URL is empty gets a stand-in on the devhost.
import { PRODUCT_SLUGS } from "../../shared/products/product-api";
import type { ProductSlug } from "../../shared/products/product-api";
import type { DevHostExtension } from "../extension";
import { sendJson, sendProblem } from "../http/problem";
import { BodyTooLargeError, readRequestBody } from "../http/rpc-http";
import { routePrefix } from "../load-app";
import { ProductSandbox } from "./product-sandbox";
import { SandboxKeyCheck } from "./sandbox-key";

export interface SandboxHandle {
  /** The products served by the sandbox (those with no base URL configured), and where. */
  products: { product: ProductSlug; baseUrl: string }[];
  sandbox: ProductSandbox;
}

const SANDBOX_PATH = /^\/dev\/products\/([a-z]+)(\/.*)$/;

export const baseUrlSetting = (product: ProductSlug): string => `PRODUCT_${product.toUpperCase()}_BASE_URL`;

/**
 * Only when the devhost is started with `sandboxProducts` (`npm start` is): the empty base URLs are pointed at
 * `/dev/products/<slug>` before the app reads its settings, so the app calls the sandbox exactly as it would call
 * the product. In Azure nothing fills them, and an empty base URL still disables the product.
 */
export function productSandboxExtension(): DevHostExtension<SandboxHandle> {
  let hubApi = "";
  const sandbox = new ProductSandbox(new SandboxKeyCheck(() => hubApi));
  const products: SandboxHandle["products"] = [];
  return {
    name: "products",
    beforeLoad(context) {
      if (!context.options.sandboxProducts) return;
      hubApi = `${context.url}/${routePrefix(context.appRoot)}`;
      for (const product of PRODUCT_SLUGS) {
        if (process.env[baseUrlSetting(product)]) continue;
        const baseUrl = `${context.url}/dev/products/${product}`;
        process.env[baseUrlSetting(product)] = baseUrl;
        products.push({ product, baseUrl });
      }
      context.addRoute(async (req, res, url) => {
        if (url.pathname === "/dev/products/calls") {
          if (req.method !== "GET")
            sendProblem(res, 405, "Method not allowed", "GET only.", { allow: "GET" });
          else
            sendJson(res, 200, {
              items: sandbox.list({ product: url.searchParams.get("product") ?? undefined }),
            });
          return true;
        }
        const match = SANDBOX_PATH.exec(url.pathname);
        if (!match || !products.some((entry) => entry.product === match[1])) return false;
        let body: Buffer;
        try {
          body = await readRequestBody(req);
        } catch (error) {
          if (!(error instanceof BodyTooLargeError)) throw error;
          sendProblem(res, 413, "Payload too large", "The body is too large.");
          return true;
        }
        const answer = await sandbox.handle({
          product: match[1]!,
          method: (req.method ?? "GET").toUpperCase(),
          path: match[2]!,
          headers: req.headers,
          body,
        });
        const isProblem = answer.status >= 400;
        res.writeHead(answer.status, {
          "content-type": isProblem ? "application/problem+json" : "application/json",
          ...(answer.replayed ? { "idempotent-replayed": "true" } : {}),
        });
        res.end(JSON.stringify(answer.body));
        return true;
      });
    },
    start: async () => ({ products, sandbox }),
    async stop() {
      // The next devhost in this process decides afresh.
      for (const { product } of products) delete process.env[baseUrlSetting(product)];
    },
  };
}
